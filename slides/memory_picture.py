#!/usr/bin/env python3
"""memory_picture.py: the memory picture of a grading (bin/grade --format
json, SPEC §2's labs[].memory) as gnuplot variables, for memory_picture.gp.

    python3 slides/memory_picture.py GRADING.json > VARS.gp

Takes lab 02's "default" run (MAP_SHARED) and its "-p" run (MAP_PRIVATE):
each process's address, frame (or none without root) and dirty kB.  Stops
with an error when either is missing: a slide is never drawn from nothing.
"""
import json
import sys


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: memory_picture.py GRADING.json")
    with open(sys.argv[1], encoding="utf-8") as f:
        grading = json.load(f)
    lab = next((l for l in grading["labs"] if l["id"] == "02-fork-sharing"), None)
    if lab is None:
        sys.exit("memory_picture: no lab 02 in " + sys.argv[1])
    views = {(v["run"], v["process"]): v for v in lab.get("memory", [])}
    print('seed = "%s"' % grading.get("seed", ""))
    for run, key in (("default", "s"), ("-p", "p")):
        for process in ("child", "parent"):
            v = views.get((run, process))
            if v is None:
                sys.exit("memory_picture: no %s view of the %s run in %s"
                         % (process, run, sys.argv[1]))
            name = key + "_" + process
            print('%s_addr = "0x%x"' % (name, v["address"]))
            print('%s_frame = "%s"' % (name, v["frame"] or ""))
            print("%s_pd = %d" % (name, v["private_dirty_kb"]))
            print("%s_sd = %d" % (name, v["shared_dirty_kb"]))


main()
