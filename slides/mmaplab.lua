--[[
mmaplab.lua: the pandoc filter that keeps the slides and handouts honest.

  ```{.c include="solutions/02-fork-sharing/fork_share.c" region="solution"
        from="int fd = mkstemp" to="err(1, \"close\")"}
  ```
      The code of a real file, read at build time.  region="solution" keeps
      what lies between /* BEGIN SOLUTION */ and /* END SOLUTION */; the
      marker lines and the skeleton's `//>` lines are always dropped.  from
      and to (plain text, not patterns) narrow it to the lines from the first
      one containing `from` through the next one containing `to`.  Common
      indentation is removed and tabs become 4 columns.  A missing file, region
      or line stops the build.

  ```{.run}
  ./fork_share -p
  ```
      Each line is run by slides/transcript.sh in a fresh directory holding the
      programs, and the block becomes the transcript: "$ line" and its output.
      A command that fails stops the build, unless the block says fails="yes"
      (and then one of them must fail).

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

  local from, to = 1, #kept
  if attr.from then
    from = nil
    for i, line in ipairs(kept) do
      if line:find(attr.from, 1, true) then
        from = i
        break
      end
    end
    if not from then
      fail("include: no line with \"" .. attr.from .. "\" in " .. path)
    end
  end
  if attr.to then
    to = nil
    for i = from, #kept do
      if kept[i]:find(attr.to, 1, true) then
        to = i
        break
      end
    end
    if not to then
      fail("include: no line with \"" .. attr.to .. "\" after \""
           .. (attr.from or "the start") .. "\" in " .. path)
    end
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
  return pandoc.CodeBlock(out:gsub("\n$", ""), pandoc.Attr(block.identifier, { "transcript" }))
end

return {
  {
    CodeBlock = function(block)
      if block.attributes.include then
        return include(block)
      elseif block.classes:includes("run") then
        return transcript(block)
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
