--[[
mmaplab.lua: the pandoc filter that keeps the slides and handouts honest.

  ```{.c include="solutions/02-fork-sharing/fork_share.c" region="solution"
        from="int fd = mkstemp" to="err(1, \"close\")"}
  ```
      The code of a real file, read at build time.  region="solution" keeps
      what lies between /* BEGIN SOLUTION */ and /* END SOLUTION */; the
      marker lines and the skeleton's `//>` lines are always dropped.  from
      and to (plain text, not patterns) narrow it to the lines from the one
      containing `from` through the next one containing `to`; `from` must be
      on one line only, or else below the one line containing `after`.  Common
      indentation is removed and tabs become 4 columns.  A missing file, region
      or line stops the build.

  ```{.run}
  ./fork_share -p
  ```
      Each line is run by slides/transcript.sh in a fresh directory holding the
      programs, and the block becomes the transcript: "$ line" and its output.
      A command that fails stops the build, unless the block says fails="yes"
      (and then one of them must fail).

  size="scriptsize" on either kind of block: its font size in LaTeX output.
      In beamer a line too wide for the frame at that size stops the build.

  ```{.diagram}
      ASCII art: in beamer, set plain, without the rule of code or transcripts.

  ![...](read_vs_mmap.svg)
      SVG for HTML; for LaTeX the .pdf of the same name (vector, too).

Paths are relative to the directory pandoc runs in: the top of the project.
]]

local function fail(msg)
  error("mmaplab.lua: " .. msg, 0)
end

local function read_lines(path)
  local f = io.open(path, "r")
  if not f then
    fail("include: cannot read " .. path)
  end
  local lines = {}
  for line in f:lines() do
    lines[#lines + 1] = line
  end
  f:close()
  return lines
end

local function is_marker(line)
  return line:find("/* BEGIN SOLUTION */", 1, true)
      or line:find("/* END SOLUTION */", 1, true)
      or line:match("^%s*//>")
end

-- The lines of PATH that the attributes select, as a list.
local function select_lines(path, attr)
  local all = read_lines(path)
  local first, last = 1, #all
  if attr.region == "solution" then
    first, last = nil, nil
    for i, line in ipairs(all) do
      if not first and line:find("/* BEGIN SOLUTION */", 1, true) then
        first = i + 1
      elseif first and line:find("/* END SOLUTION */", 1, true) then
        last = i - 1
        break
      end
    end
    if not first or not last then
      fail("include: no BEGIN/END SOLUTION region in " .. path)
    end
  elseif attr.region then
    fail("include: unknown region \"" .. attr.region .. "\" for " .. path)
  end

  local kept = {}
  for i = first, last do
    if not is_marker(all[i]) then
      kept[#kept + 1] = all[i]
    end
  end

  -- The first line at or below START containing TEXT; ONCE: no other line may.
  local function find(text, start, once, below)
    local at
    for i = start, #kept do
      if kept[i]:find(text, 1, true) then
        if at and once then
          fail("include: \"" .. text .. "\" is on more than one line of " .. path
               .. ": make it longer, or add after=\"a line above it\"")
        end
        at = at or i
      end
    end
    if not at then
      fail("include: no line with \"" .. text .. "\" in " .. path .. (below or ""))
    end
    return at
  end
  -- after: a line that occurs once; from is looked for below it.  Without
  -- after, from must occur once: a second match would be a wrong slice.
  local from, to = 1, #kept
  if attr.after then
    from = find(attr.after, 1, true) + 1
  end
  if attr.from then
    from = find(attr.from, from, not attr.after,
                attr.after and " below \"" .. attr.after .. "\"")
  end
  if attr.to then
    to = find(attr.to, from, false, " from \"" .. (attr.from or "the start") .. "\" on")
  end
  local out = {}
  for i = from, to do
    out[#out + 1] = kept[i]
  end
  if #out == 0 then
    fail("include: the selection in " .. path .. " is empty")
  end
  return out
end

-- Tabs to 4-column stops, then the common indentation removed.
local function tidy(lines)
  local indent
  for i, line in ipairs(lines) do
    local col, s = 0, {}
    for ch in line:gmatch(".") do
      if ch == "\t" then
        local n = 4 - col % 4
        s[#s + 1] = string.rep(" ", n)
        col = col + n
      else
        s[#s + 1] = ch
        col = col + 1
      end
    end
    lines[i] = table.concat(s):gsub("%s+$", "")
    local lead = #lines[i]:match("^ *")
    if #lines[i] > 0 and (not indent or lead < indent) then
      indent = lead
    end
  end
  for i, line in ipairs(lines) do
    lines[i] = line:sub((indent or 0) + 1)
  end
  return table.concat(lines, "\n")
end

local function include(block)
  local attr = block.attributes
  local path = attr.include
  local text = tidy(select_lines(path, attr))
  local classes = #block.classes > 0 and block.classes or { "c" }
  return pandoc.CodeBlock(text, pandoc.Attr(block.identifier, classes))
end

local function transcript(block)
  local out = pandoc.pipe("sh", { "slides/transcript.sh" }, block.text .. "\n")
  local failed = out:match("%[exit status %d+")
  if failed and block.attributes.fails ~= "yes" then
    fail("run: a command failed, and the block does not say fails=\"yes\":\n" .. out)
  end
  if not failed and block.attributes.fails == "yes" then
    fail("run: fails=\"yes\", yet every command succeeded:\n" .. out)
  end
  -- No class in LaTeX: a class would make pandoc typeset it as (plain) code.
  local latex = FORMAT:match("latex") or FORMAT:match("beamer")
  local classes = latex and {} or { "transcript" }
  return pandoc.CodeBlock(out:gsub("\n$", ""), pandoc.Attr(block.identifier, classes))
end

-- size="scriptsize" (any LaTeX size command): a block set smaller or larger
-- than the default of the PDF; HTML ignores it.
-- On a 16:9 beamer frame a code line of more columns than this runs off the
-- edge, silently: fancyvrb does not report it.
local beamer_columns = { small = 76, footnotesize = 84, scriptsize = 96, tiny = 116 }

local function sized(size, block)
  if FORMAT:match("beamer") then
    local limit = beamer_columns[size or "footnotesize"]
    if not limit then
      fail("size: \"" .. size .. "\" is not one of small, footnotesize, scriptsize, tiny")
    end
    for line in block.text:gmatch("[^\n]+") do
      if utf8.len(line) > limit then
        fail("a line of " .. utf8.len(line) .. " columns does not fit a frame at "
             .. (size or "footnotesize") .. " (" .. limit .. "): " .. line)
      end
    end
  end
  if not size or not FORMAT:match("latex") and not FORMAT:match("beamer") then
    return block
  end
  return {
    pandoc.RawBlock("latex", "\\begingroup\\fvset{fontsize=\\" .. size .. "}"),
    block,
    pandoc.RawBlock("latex", "\\endgroup"),
  }
end

return {
  {
    CodeBlock = function(block)
      if block.attributes.include then
        return sized(block.attributes.size, include(block))
      elseif block.classes:includes("run") then
        return sized(block.attributes.size, transcript(block))
      elseif block.classes:includes("diagram") and FORMAT:match("beamer") then
        -- Plain Verbatim: neither code (teal rule) nor a transcript (orange).
        return pandoc.RawBlock("latex", "\\begin{Verbatim}\n" .. block.text .. "\n\\end{Verbatim}")
      end
    end,
    Image = function(img)
      if FORMAT:match("latex") or FORMAT:match("beamer") then
        img.src = img.src:gsub("%.svg$", ".pdf")
        return img
      end
    end,
  },
}
