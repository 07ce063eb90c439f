#!/usr/bin/python3
"""browser.py OUTDIR PAGE WIDTHxHEIGHT [--hint] [--shot] [--sort]

Opens PAGE in headless Chromium (Debian's chromium) with the network off
(`unshare -n`), a fresh profile, at that window size, and checks how it
renders:

- a copy of PAGE with a probe script added (its policy amended to let the
  probe, and only it, run) is loaded with --dump-dom in a frame of that
  size: the probe reports the layout.  The page must not be wider than the window (a 200 kB line wraps),
  must have loaded no resource, must have run no script of a student's (the
  title unchanged, only the page's own script elements); --hint: the first
  hint (.fix .fixhint, else .hint) lies wholly inside the window without
  scrolling; --sort: clicking the students table's "total" heading sorts it up, a second click down.
- --shot: PAGE itself, unaltered, is screenshotted (OUTDIR/NAME-WxH.png) and
  the picture must not be blank: a good share of pixels not white, in
  several colours.
- Chromium's own log of network requests (--log-net-log) must hold no
  request made by the page (Chromium's updater and clock ask for themselves,
  with no origin: counted apart; the network is off for them too).

Prints one "ok" line per check, or the problems, and exits 0 or 1.
"""
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--force-device-scale-factor=1"]

PROBE = r"""<script nonce="probe">(function(){
var r={vw:innerWidth,vh:innerHeight,sw:document.documentElement.scrollWidth,
title:document.title,scripts:document.scripts.length,
resources:performance.getEntriesByType('resource').map(function(e){return e.name})};
var h=document.querySelector('.fix .fixhint')||document.querySelector('.hint');
if(h){var b=h.getBoundingClientRect();r.hint={top:b.top,bottom:b.bottom,left:b.left,
right:b.right,text:h.textContent.slice(0,100)};}
var t=document.querySelector('table.main');
if(t){var th=t.tHead.rows[0].cells[1],col=function(){return Array.prototype.map.call(
t.tBodies[0].rows,function(x){return x.cells[1].textContent})};r.before=col();th.click();
r.after=col();th.click();r.after2=col();}
parent.postMessage(JSON.stringify(r),'*');})();</script>"""

# Chromium's headless window is 500 px wide at least: the page is measured
# in a frame of the size asked for, which is its viewport (media queries
# included); the probe posts its report up to the frame's holder.
FRAME = """<!doctype html><body style="margin:0"><iframe src="{src}" width="{w}" height="{h}"
style="border:0;display:block"></iframe><script>addEventListener('message',function(e){{
var p=document.createElement('pre');p.id='probe-result';p.textContent=e.data;
document.body.appendChild(p);}});</script></body>"""


def chromium(profile, args, timeout=90):
    cmd = ["timeout", "-s", "KILL", str(timeout), "unshare", "-n", "chromium", *FLAGS,
           f"--user-data-dir={profile}", *args]
    return subprocess.run(cmd, capture_output=True, text=True)


def with_probe(html):
    """The page, its policy letting the probe's nonce run too, the probe last."""
    def amend(m):
        csp = m.group(1)
        if "script-src" in csp:
            csp = csp.replace("script-src", "script-src 'nonce-probe'", 1)
        else:
            csp += "; script-src 'nonce-probe'"
        return f'content="{csp}"'
    html = re.sub(r'content="(default-src[^"]*)"', amend, html, count=1)
    return html.replace("</body>", PROBE + "</body>", 1) if "</body>" in html else html + PROBE


def page_requests(netlog):
    """URLs the page asked for (not file: or data:), and how many requests
    Chromium made for itself (its updater, its clock: initiator "not an
    origin"), from its net log."""
    with open(netlog, encoding="utf-8") as f:
        log = json.load(f)
    types = {v: k for k, v in log["constants"]["logEventTypes"].items()}
    page, own = [], 0
    for e in log["events"]:
        p = e.get("params", {})
        if types.get(e["type"]) != "URL_REQUEST_START_JOB" or "url" not in p:
            continue
        if p.get("initiator") == "not an origin":
            own += 1
        elif not p["url"].startswith(("file:", "data:")):
            page.append(p["url"])
    return page, own


def png_pixels(path):
    """(width, height, rows of bytes, bytes per pixel) of an 8-bit PNG."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and interlace == 0 and colour in (2, 6), "unexpected PNG kind"
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw, rows, prev, stride = zlib.decompress(idat), [], bytearray(w * bpp), w * bpp
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b, c = prev[x], prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    return w, h, rows, bpp


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    outdir, page, size = sys.argv[1:4]
    opts = set(sys.argv[4:])
    width, height = map(int, size.split("x"))
    name = os.path.splitext(os.path.basename(page))[0]
    problems, oks = [], []
    work = tempfile.mkdtemp(prefix=f"browser-{name}-", dir=os.path.abspath(outdir))
    try:
        # beside the page: its links to students/ resolve as they would
        probe_page = os.path.join(os.path.dirname(os.path.abspath(page)), f".probe-{name}.html")
        frame = os.path.join(work, "frame.html")
        with open(page, encoding="utf-8") as f:
            html = f.read()
        with open(probe_page, "w", encoding="utf-8") as f:
            f.write(with_probe(html))
        with open(frame, "w", encoding="utf-8") as f:
            f.write(FRAME.format(src=f"file://{probe_page}", w=width, h=height))
        netlog = os.path.join(work, "netlog.json")
        r = chromium(os.path.join(work, "p1"), [f"--window-size={max(width, 500) + 40},{height + 40}",
                     "--virtual-time-budget=10000", f"--log-net-log={netlog}", "--dump-dom",
                     f"file://{frame}"])
        os.unlink(probe_page)
        m = re.search(r'<pre id="probe-result">(.*?)</pre>', r.stdout, re.S)
        if not m:
            print(f"{page} {size}: the probe did not report (exit {r.returncode})\n{r.stderr[-2000:]}")
            return 1
        got = json.loads(m.group(1).replace("&lt;", "<").replace("&gt;", ">")
                         .replace("&quot;", '"').replace("&amp;", "&"))
        own = len(re.findall(r"<script\b", html))
        if got["sw"] > got["vw"]:
            problems.append(f"the page is {got['sw']} px wide in a {got['vw']} px window")
        if got["resources"]:
            problems.append(f"resources loaded: {got['resources'][:5]}")
        if got["scripts"] != own + 1 or "pwned" in got["title"]:
            problems.append(f"a student's script ran ({got['scripts']} scripts, title {got['title']!r})")
        oks.append(f"{got['sw']} px wide in {got['vw']}, nothing loaded, no foreign script")
        if "--hint" in opts:
            h = got.get("hint")
            if h is None:
                problems.append("no hint on the page")
            elif not (0 <= h["top"] and h["bottom"] <= got["vh"] and 0 <= h["left"]
                      and h["right"] <= got["vw"] and h["bottom"] > h["top"]):
                problems.append(f"the hint is not in view without scrolling: {h}")
            else:
                oks.append(f"hint in view at y {h['top']:.0f}-{h['bottom']:.0f} of {got['vh']}: "
                           f"{h['text'][:50]!r}")
        if "--sort" in opts:
            def num(v):
                try:
                    return float(v)
                except ValueError:
                    return -1.0
            after = [num(v) for v in got.get("after", [])]
            after2 = [num(v) for v in got.get("after2", [])]
            if len(after) < 2 or after != sorted(after) or after2 != sorted(after, reverse=True):
                problems.append(f"clicking \"total\" did not sort up, then down: "
                                f"{got.get('after', [])[:8]}, {got.get('after2', [])[:8]}")
            else:
                oks.append(f"clicking \"total\" sorts {len(after)} rows up, again down")
        page_urls, own = page_requests(netlog)
        if page_urls:
            problems.append(f"the page made requests: {page_urls[:5]}")
        else:
            oks.append(f"net log: no request from the page ({own} of Chromium's own, "
                       "refused with the network off)")
        if "--shot" in opts:
            shot = os.path.join(outdir, f"{name}-{size}.png")
            chromium(os.path.join(work, "p2"), [f"--window-size={width},{height}",
                     f"--screenshot={shot}", f"file://{os.path.abspath(page)}"])
            if not os.path.exists(shot):
                problems.append("no screenshot")
            else:
                w, h, rows, bpp = png_pixels(shot)
                colours, inked = set(), 0
                for row in rows[::4]:
                    for x in range(0, w * bpp, bpp * 4):
                        px = bytes(row[x:x + 3])
                        colours.add(px)
                        inked += px != b"\xff\xff\xff"
                share = inked / (len(rows[::4]) * len(range(0, w * bpp, bpp * 4)))
                if (w, h) != (width, height) or share < 0.03 or len(colours) < 8:
                    problems.append(f"blank screenshot {shot}: {w}x{h}, {share:.1%} inked, "
                                    f"{len(colours)} colours")
                else:
                    oks.append(f"screenshot {shot}: {share:.0%} inked, {len(colours)} colours")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if problems:
        print("\n".join(f"{page} {size}: {p}" for p in problems))
        return 1
    for o in oks:
        print(f"ok {page} {size}: {o}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
