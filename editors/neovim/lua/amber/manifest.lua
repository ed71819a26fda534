-- What an Amber manifest is, and which folder the server should see as its
-- workspace. Plain Lua and libuv, the same on every Neovim version.
local uv = require('amber.compat').uv

local M = {}

-- A manifest is a .json5 or .json file whose root object has manifest_version
-- (the server decides the same way), set to a version string. Looking at the first lines is enough in
-- practice: the key comes first in every manifest Amber writes.
local HEAD_LINES = 200
local EXTENSIONS = { json5 = true, json = true }

--- Whether `path` has an extension a manifest can have.
function M.has_manifest_extension(path)
  return EXTENSIONS[(path:match('%.([%w]+)$') or ''):lower()] == true
end

--- Whether the lines hold a `manifest_version` key (quoted or not) with a
--- string value: Amber's versions are strings ("0.4.0"); a browser
--- extension's manifest.json has a number there and is no Amber manifest.
function M.lines_have_manifest_key(lines)
  for _, line in ipairs(lines) do
    if line:find('manifest_version', 1, true)
      and (line:find('^%s*{?%s*["\']?manifest_version["\']?%s*:%s*["\']')
        or line:find('[{,]%s*["\']?manifest_version["\']?%s*:%s*["\']')) then
      return true
    end
  end
  return false
end

--- Whether buffer `bufnr` holds an Amber manifest.
function M.is_manifest(bufnr)
  local name = vim.api.nvim_buf_get_name(bufnr)
  if not M.has_manifest_extension(name) then
    return false
  end
  return M.lines_have_manifest_key(vim.api.nvim_buf_get_lines(bufnr, 0, HEAD_LINES, false))
end

local function exists(path)
  return uv.fs_stat(path) ~= nil
end

local function parent(dir)
  local p = vim.fn.fnamemodify(dir, ':h')
  return p ~= dir and p or nil
end

local function is_under(path, dir)
  if dir == '/' then return true end
  return path:sub(1, #dir + 1) == dir .. '/'
end

--- Whether `path` is `dir` or inside it (both absolute, no trailing slash).
function M.within(path, dir)
  return path == dir or is_under(path, dir)
end

--- The deepest of `roots` holding the file at `path`, or nil.
function M.deepest_root(path, roots)
  local best
  for _, r in ipairs(roots or {}) do
    if is_under(path, r) and (not best or #r > #best) then
      best = r
    end
  end
  return best
end

--- The workspace folder for the file at `path`:
---   1. the nearest folder above it holding one of `markers` (.git, ...);
---   2. else the deepest root of a running client (`known_roots`) that holds it,
---      so a child manifest opened after its parent joins the parent's server;
---   3. else the file's own folder (never the home or the working directory,
---      which could hold any number of unrelated files).
function M.root(path, markers, known_roots)
  path = vim.fn.fnamemodify(path, ':p')
  local dir = vim.fn.fnamemodify(path, ':h')
  local d = dir
  while d do
    for _, m in ipairs(markers or {}) do
      if exists(d .. '/' .. m) then
        return d
      end
    end
    d = parent(d)
  end
  return M.deepest_root(path, known_roots) or dir
end

return M
