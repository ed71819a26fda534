-- The Neovim checks of editors/testdata/plan.json, run headless in a Neovim
-- started with test/init.lua (the plugin as a user installs it):
--
--   nvim --headless -u test/init.lua -i NONE -n -c 'luafile test/checks.lua'
--
-- Each check does what a user does (opens the file, K, gd, <C-x><C-o>, the
-- code-action menu, :AmberPreview, ...) and appends one line to $RESULTS:
--   PASS nvim <check> (<ms> ms) <what was seen>
--   FAIL nvim <check> (<ms> ms) <what was expected and what was seen>
-- Env: WS (the workspace), PLAN, RESULTS, CHECKS (a comma list, optional),
-- TIMEOUT_MS, AMBER_LSP_VERSION (what `amber-lsp version` prints).
local uv = vim.uv or vim.loop
local amber = require('amber')

local ws = assert(os.getenv('WS'), 'WS is not set')
local timeout = tonumber(os.getenv('TIMEOUT_MS') or '') or 10000
local only = os.getenv('CHECKS') or ''
local results = assert(io.open(assert(os.getenv('RESULTS'), 'RESULTS is not set'), 'a'))
local plan = vim.json.decode(table.concat(vim.fn.readfile(assert(os.getenv('PLAN'), 'PLAN is not set')), '\n'))
local failed = false

local function now() return uv.hrtime() / 1e6 end
local function log(fmt, ...) io.stderr:write(string.format('[%8.0f] ' .. fmt .. '\n', now(), ...)) end
local function brief(v)
  local s = type(v) == 'string' and v or vim.inspect(v, { newline = ' ', indent = '' })
  s = s:gsub('%s+', ' ')
  return #s > 240 and (s:sub(1, 237) .. '...') or s
end
local function wait(pred, ms) return vim.wait(ms or timeout, pred, 20) end
local function pause(ms) vim.wait(ms, function() return false end, 10) end

-- What the editor told the user (vim.notify), newest last.
local notes = {}
local notify = vim.notify
vim.notify = function(msg, level, o)
  notes[#notes + 1] = tostring(msg)
  log('notify: %s', msg)
  return notify(msg, level, o)
end

-- Runs an Ex command as typed; an error it raises is what the user would
-- read, kept with the notes.
local function command(cmd)
  local ok, e = pcall(vim.cmd, cmd)
  e = not ok and tostring(e):gsub('^.-Vim[^:]*:', '')
  if e and e ~= notes[#notes] then notes[#notes + 1] = e end
end

local function path(file) return ws .. '/' .. file end
local function open(file)
  vim.cmd('edit ' .. vim.fn.fnameescape(path(file)))
  return vim.api.nvim_get_current_buf()
end
local function text(buf) return table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n') end
-- The text of a file as the editor has it: its buffer when loaded, else the disk.
local function file_text(file)
  local b = vim.fn.bufnr(path(file))
  if b ~= -1 and vim.api.nvim_buf_is_loaded(b) then return text(b) end
  return table.concat(vim.fn.readfile(path(file)), '\n')
end
-- Throws away every unsaved change (what a check changed), so the next check
-- starts from the files on disk.
local function revert_all()
  for _, b in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(b) and vim.bo[b].modified and vim.bo[b].buftype == '' then
      vim.api.nvim_buf_call(b, function() vim.cmd('silent edit!') end)
    end
  end
end

-- The amber client of buf once it is attached and initialized, or nil.
local function client(buf, ms)
  local c
  wait(function()
    c = amber.clients(buf)[1]
    return c ~= nil and c.initialized == true
  end, ms)
  return c and c.initialized and c or nil
end
local function no_client(buf)
  return string.format('no amber-lsp attached to %s (filetype %q); :AmberInfo says: %s',
    vim.fn.fnamemodify(vim.api.nvim_buf_get_name(buf), ':t'), vim.bo[buf].filetype,
    brief(require('amber.commands').info_lines(buf)))
end

-- Puts the cursor where `at` has its |, on the first line holding `at`.
local function cursor_at(buf, at)
  local bar = assert(at:find('|', 1, true), 'no | in ' .. at)
  local needle = at:sub(1, bar - 1) .. at:sub(bar + 1)
  for i, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    local s = line:find(needle, 1, true)
    if s then
      vim.api.nvim_win_set_cursor(0, { i, s + bar - 2 })
      return i, s + bar - 1
    end
  end
  error('no line holds ' .. needle)
end

local function floats()
  return vim.tbl_filter(function(w) return vim.api.nvim_win_get_config(w).relative ~= '' end,
    vim.api.nvim_list_wins())
end
local function close_floats()
  for _, w in ipairs(floats()) do vim.api.nvim_win_close(w, true) end
end

-- The buffer called `name` once it holds every string of `matches`, or nil
-- (at once when the user was told something after note number `n`).
local function scratch(name, matches, n)
  local found
  wait(function()
    if #notes > n then return true end
    for _, b in ipairs(vim.api.nvim_list_bufs()) do
      if vim.api.nvim_buf_get_name(b) == name then
        local t = text(b)
        for _, m in ipairs(matches) do
          if not t:find(m, 1, true) then return false end
        end
        found = b
        return true
      end
    end
    return false
  end)
  return found
end

local checks, order = {}, {}
local function check(name, fn)
  checks[name] = fn
  order[#order + 1] = name
end

check('detect', function(p)
  local seen = {}
  for _, f in ipairs(p.manifests) do
    local buf = open(f)
    if vim.bo[buf].filetype ~= 'amber' then
      return false, string.format('%s has filetype %q, not amber', f, vim.bo[buf].filetype)
    end
    if not client(buf) then return false, no_client(buf) end
    seen[#seen + 1] = f .. ': amber'
  end
  for _, f in ipairs(p.others) do
    local buf = open(f)
    pause(300)
    if vim.bo[buf].filetype == 'amber' or #amber.clients(buf) > 0 then
      return false, string.format('%s is no manifest but has filetype %q and %d client(s)', f,
        vim.bo[buf].filetype, #amber.clients(buf))
    end
    seen[#seen + 1] = f .. ': ' .. vim.bo[buf].filetype
  end
  -- No .git anywhere: every manifest of the workspace shares one server, rooted
  -- at the folder of the first one (children join their parent's server).
  local clients = amber.clients()
  local roots = vim.tbl_map(function(c) return c.config.root_dir end, clients)
  if #clients ~= 1 or roots[1] ~= ws then
    return false, string.format('want one server rooted at %s, got %s', ws, brief(roots))
  end
  local buf = open(p.manifests[1])
  if vim.bo[buf].omnifunc ~= 'v:lua.vim.lsp.omnifunc' then
    return false, 'omnifunc is ' .. vim.bo[buf].omnifunc
  end
  seen[#seen + 1] = 'one server, root ' .. vim.fn.fnamemodify(roots[1], ':t')
  return true, seen
end)

check('highlight', function(p)
  local buf = open(p.file)
  local seen = {}
  for _, kind in ipairs({ 'interpolation', 'reference' }) do
    local line, col = cursor_at(buf, p[kind])
    local group = vim.fn.synIDattr(vim.fn.synID(line, col, 1), 'name')
    seen[#seen + 1] = kind .. ': ' .. group
    if group ~= 'amber' .. kind:sub(1, 1):upper() .. kind:sub(2) then
      return false, string.format('the %s at %d:%d is highlighted as %q (syntax %q)', kind, line, col, group,
        vim.b.current_syntax or '')
    end
  end
  return true, seen
end)

-- The places that name what the cursor rests on: the plugin's CursorHold
-- asks the server (textDocument/documentHighlight), the declaration shows as
-- LspReferenceWrite and the references as LspReferenceRead, and moving the
-- cursor clears them.
check('highlights', function(p)
  local buf = open(p.file)
  if not client(buf) then return false, no_client(buf) end
  local ns = vim.api.nvim_create_namespace('vim_lsp_references')
  local function marks()
    local out = {}
    for _, m in ipairs(vim.api.nvim_buf_get_extmarks(buf, ns, 0, -1, { details = true })) do
      out[#out + 1] = string.format('%d:%d %s', m[2] + 1, m[3] + 1, m[4].hl_group)
    end
    table.sort(out)
    return out
  end
  cursor_at(buf, p.at)
  vim.cmd('doautocmd <nomodeline> CursorHold')
  wait(function() return #marks() >= 2 end)
  local shown = marks()
  local kinds = table.concat(shown, ' ')
  if not (kinds:find('LspReferenceWrite', 1, true) and kinds:find('LspReferenceRead', 1, true)) then
    return false, 'after CursorHold the buffer shows ' .. brief(shown) .. '; ' .. brief(notes)
  end
  vim.api.nvim_win_set_cursor(0, { 1, 0 })
  vim.cmd('doautocmd <nomodeline> CursorMoved')
  if not wait(function() return #marks() == 0 end, 2000) then
    return false, 'moving the cursor left ' .. brief(marks())
  end
  return true, shown
end)

check('diagnostics', function(p)
  local buf = open(p.file)
  if not client(buf) then return false, no_client(buf) end
  local line, col = cursor_at(buf, p.at)
  local function hit()
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if d.lnum + 1 == line and d.col + 1 == col and d.message:find(p.match, 1, true) then return d end
    end
  end
  wait(function() return hit() ~= nil end)
  local d = hit()
  local all = vim.tbl_map(function(x) return string.format('%d:%d %s', x.lnum + 1, x.col + 1, x.message:match('[^\n]*')) end,
    vim.diagnostic.get(buf))
  if d then return true, all end
  return false, string.format('no diagnostic at %d:%d with %q; got %s', line, col, p.match, brief(all))
end)

check('hover', function(p)
  local buf = open(p.file)
  if not client(buf) then return false, no_client(buf) end
  close_floats()
  cursor_at(buf, p.at)
  vim.cmd('normal K')
  local got
  wait(function()
    local w = floats()[1]
    got = w and text(vim.api.nvim_win_get_buf(w))
    return got ~= nil
  end)
  close_floats()
  if got and got:find(p.match, 1, true) then return true, got end
  return false, got and ('the hover lacks ' .. p.match .. ': ' .. brief(got)) or ('no hover window; ' .. brief(notes))
end)

check('definition', function(p)
  local buf = open(p.file)
  if not client(buf) then return false, no_client(buf) end
  cursor_at(buf, p.at)
  vim.cmd('normal gd')
  local ok = wait(function() return vim.api.nvim_buf_get_name(0):sub(-#p.target - 1) == '/' .. p.target end)
  local pos = vim.api.nvim_win_get_cursor(0)
  local where = string.format('%s:%d:%d', vim.fn.fnamemodify(vim.api.nvim_buf_get_name(0), ':t'), pos[1], pos[2] + 1)
  if ok then return true, where end
  return false, 'still at ' .. where .. '; ' .. brief(notes)
end)

-- Types `keys` in insert mode and reads what <C-x><C-o> offers: the popup
-- menu's words, or the line when the only candidate was inserted directly.
local function insert_complete(keys)
  local seen = {}
  local line0 = vim.api.nvim_get_current_line()
  local deadline = now() + timeout
  local timer = uv.new_timer()
  timer:start(30, 30, vim.schedule_wrap(function()
    if timer:is_closing() then return end
    local pum = vim.fn.pumvisible() == 1
    local line = vim.api.nvim_get_current_line()
    if not (pum or line ~= line0 or now() > deadline) then return end
    if pum then
      seen.words = vim.tbl_map(function(i) return i.word end, vim.fn.complete_info({ 'items' }).items)
    elseif line ~= line0 then
      seen.inserted = line
    end
    timer:stop()
    timer:close()
    vim.api.nvim_input(pum and '<C-e><Esc>' or '<Esc>')
  end))
  local ok, e = pcall(vim.api.nvim_feedkeys, vim.api.nvim_replace_termcodes(keys, true, false, true), 'x!', false)
  if not ok then seen.error = e end
  return seen
end

check('completion', function(p)
  local buf = open(p.file)
  if not client(buf) then return false, no_client(buf) end
  if vim.bo[buf].omnifunc == '' then return false, "'omnifunc' is not set: <C-x><C-o> gives E764" end
  for i, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    local s = line:find(p.replace, 1, true)
    if s then
      vim.api.nvim_buf_set_text(buf, i - 1, s - 1, i - 1, s - 1 + #p.replace, { p.with })
      vim.api.nvim_win_set_cursor(0, { i, s + #p.with - 2 }) -- on the last character typed
      local seen = insert_complete('a<C-x><C-o>')
      revert_all()
      for _, w in ipairs(seen.words or {}) do
        if w == p.label or w == p.with .. p.label then return true, seen.words end
      end
      if seen.inserted and seen.inserted:find(p.with .. p.label, 1, true) then
        return true, 'the one candidate was inserted: ' .. vim.trim(seen.inserted)
      end
      return false, string.format('no %q offered: %s; %s', p.label, brief(seen), brief(notes))
    end
  end
  return false, 'no line holds ' .. p.replace
end)

check('code_action', function(p)
  local buf = open(p.file)
  if not client(buf) then return false, no_client(buf) end
  wait(function() return #vim.diagnostic.get(buf) > 0 end)
  local line = cursor_at(buf, p.at)
  local menu = {}
  local select = vim.ui.select
  vim.ui.select = function(items, o, choose) -- the menu: pick the entry whose title has p.title
    local fmt = o.format_item or tostring
    for _, it in ipairs(items) do menu[#menu + 1] = fmt(it) end
    for _, it in ipairs(items) do
      if fmt(it):find(p.title, 1, true) then return choose(it) end
    end
    choose(nil)
  end
  vim.lsp.buf.code_action()
  local function now_line() return vim.api.nvim_buf_get_lines(buf, line - 1, line, false)[1] or '' end
  local ok = wait(function() return now_line():find(p.expect, 1, true) ~= nil end)
  vim.ui.select = select
  local l = now_line()
  revert_all()
  if ok then return true, { menu = menu, line = vim.trim(l) } end
  return false, string.format('line %d reads %q; menu %s; %s', line, l, brief(menu), brief(notes))
end)

check('rename', function(p)
  local buf = open(p.file)
  local c = client(buf)
  if not c then return false, no_client(buf) end
  cursor_at(buf, p.at)
  local n = #notes
  pcall(vim.lsp.buf.rename, p.new_name)
  local function done()
    for file, wants in pairs(p.expect) do
      for _, w in ipairs(wants) do
        if not file_text(file):find(w, 1, true) then return false end
      end
    end
    for file, gone in pairs(p.gone) do
      if file_text(file):find(gone, 1, true) then return false end
    end
    return true
  end
  local offered = c.server_capabilities.renameProvider and true or false
  local ok = wait(done, offered and timeout or 1000)
  revert_all()
  if ok then return true, 'renamed in ' .. table.concat(vim.tbl_keys(p.expect), ', ') end
  return false, string.format('not renamed; server offers rename: %s; %s', tostring(offered),
    brief(vim.list_slice(notes, n + 1)))
end)

check('format', function(p)
  local buf = open(p.file)
  local c = client(buf)
  if not c then return false, no_client(buf) end
  local before = text(buf)
  if vim.lsp.buf.format then vim.lsp.buf.format({ async = true }) else vim.lsp.buf.formatting() end
  local offered = c.server_capabilities.documentFormattingProvider and true or false
  local ok = wait(function() return text(buf) ~= before end, offered and timeout or 1000)
  local after = text(buf)
  revert_all()
  if not ok then
    return false, string.format('text unchanged; server offers formatting: %s', tostring(offered))
  end
  for _, k in ipairs(p.keep) do
    if not after:find(k, 1, true) then return false, 'the formatted text lost ' .. k end
  end
  return true, string.format('%d -> %d lines', #vim.split(before, '\n'), #vim.split(after, '\n'))
end)

-- The server process of client c and the processes below it (the overlay
-- helpers and their keeper), from /proc.
local function server_pid(c) return c.rpc and c.rpc.pid end
local function descendants(pid)
  local children = {}
  for _, stat in ipairs(vim.fn.glob('/proc/[0-9]*/stat', false, true)) do
    local f = io.open(stat)
    local line = f and f:read('*l')
    if f then f:close() end
    -- pid (comm) state ppid ...: comm may hold spaces and parentheses
    local child, ppid = (line or ''):match('^(%d+) %(.*%) %S+ (%d+)')
    if child then
      children[tonumber(ppid)] = children[tonumber(ppid)] or {}
      table.insert(children[tonumber(ppid)], tonumber(child))
    end
  end
  local out, queue = {}, { pid }
  while #queue > 0 do
    for _, c in ipairs(children[table.remove(queue)] or {}) do
      out[#out + 1] = c
      queue[#queue + 1] = c
    end
  end
  return out
end
local function cmdline(pid)
  local f = io.open('/proc/' .. pid .. '/cmdline')
  local t = f and f:read('*a') or ''
  if f then f:close() end
  return (t:gsub('%z', ' '))
end

-- The titles of the code lenses Neovim shows on line `line` (1-based) of buf:
-- the virtual text of the lens namespaces.
local function lens_titles(buf, line)
  local out = {}
  for name, ns in pairs(vim.api.nvim_get_namespaces()) do
    if name:find('^vim_lsp_codelens') then
      for _, m in ipairs(vim.api.nvim_buf_get_extmarks(buf, ns, { line - 1, 0 }, { line - 1, -1 }, { details = true })) do
        for _, chunk in ipairs(m[4].virt_text or {}) do
          if chunk[2] == 'LspCodeLens' then out[#out + 1] = chunk[1] end
        end
      end
    end
  end
  return out
end
local function has_lens(buf, line, title)
  for _, t in ipairs(lens_titles(buf, line)) do
    if t:find(title, 1, true) then return t end
  end
end

-- Runs the code lens of the cursor line whose title holds `title`, as
-- vim.lsp.codelens.run() does (picking from its menu when there are several).
local function run_lens(title)
  local select = vim.ui.select
  local menu = {}
  vim.ui.select = function(items, o, choose)
    for _, it in ipairs(items) do
      local t = (o.format_item or tostring)(it)
      menu[#menu + 1] = t
      if t:find(title, 1, true) then return choose(it) end
    end
    choose(nil)
  end
  vim.lsp.codelens.run()
  vim.ui.select = select
  return menu
end

check('lens', function(p)
  local buf = open(p.file)
  if not client(buf) then return false, no_client(buf) end
  local line = cursor_at(buf, p.at)
  local title = wait(function() return has_lens(buf, line, p.title) end) and has_lens(buf, line, p.title)
  if not title then
    return false, string.format('no lens %q on line %d: %s; %s', p.title, line, brief(lens_titles(buf, line)), brief(notes))
  end
  vim.fn.setqflist({}, 'r', { title = '', items = {} })
  run_lens(p.title)
  local qf
  wait(function()
    qf = vim.fn.getqflist({ title = 1, items = 1 })
    return #qf.items > 0
  end)
  local places = vim.tbl_map(function(it)
    return string.format('%s:%d:%d', vim.fn.fnamemodify(vim.api.nvim_buf_get_name(it.bufnr), ':t'), it.lnum, it.col)
  end, qf.items)
  local qf_open = vim.fn.getqflist({ winid = 1 }).winid ~= 0
  vim.cmd('cclose')
  for _, f in ipairs(p.places) do
    if not table.concat(places, ' '):find(f .. ':', 1, true) then
      return false, string.format('the quickfix list (%q) lacks %s: %s; %s', qf.title, f, brief(places), brief(notes))
    end
  end
  if not qf_open then return false, 'the quickfix window did not open: ' .. brief(places) end
  return true, { lens = title, quickfix = qf.title, places = places }
end)

check('cloud_init', function(p)
  -- The YAML file a manifest names joins the running server (opened after
  -- the manifests of the workspace).
  local buf = open(p.file)
  if vim.bo[buf].filetype ~= 'yaml' then return false, 'filetype ' .. vim.bo[buf].filetype end
  if not client(buf) then return false, no_client(buf) end
  local line, col = cursor_at(buf, p.at)
  local function hit(word)
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if d.lnum + 1 == line and d.code == p.code and d.message:find(word, 1, true) then return d end
    end
  end
  local function all()
    return vim.tbl_map(function(x) return string.format('%d:%d %s %s', x.lnum + 1, x.col + 1, x.code, x.message:match('[^\n]*')) end,
      vim.diagnostic.get(buf))
  end
  if not wait(function() return hit(p.match) ~= nil end) then
    return false, string.format('no %s at %d:%d with %q; got %s', p.code, line, col, p.match, brief(all()))
  end
  local d = hit(p.match)
  if d.col + 1 ~= col then return false, string.format('the diagnostic is at %d:%d, not %d:%d', d.lnum + 1, d.col + 1, line, col) end
  -- The buffer, not the disk: an unsaved edit is checked too.
  local l = vim.api.nvim_buf_get_lines(buf, line - 1, line, false)[1]
  local s = l:find(p.replace, 1, true)
  vim.api.nvim_buf_set_text(buf, line - 1, s - 1, line - 1, s - 1 + #p.replace, { p.with })
  local edited = wait(function() return hit(p.with) ~= nil end)
  local after = all()
  revert_all()
  if not edited then return false, 'after the edit to ' .. p.with .. ': ' .. brief(after) end
  return true, after
end)

check('untrusted_save', function(p)
  -- Previews are off (the folder is not trusted): a save starts nothing.
  local buf = open(p.file)
  local c = client(buf)
  if not c then return false, no_client(buf) end
  vim.cmd('silent write')
  pause(1500)
  local procs = vim.tbl_map(cmdline, descendants(server_pid(c)))
  local lens = nil
  for l = 1, vim.api.nvim_buf_line_count(buf) do lens = lens or has_lens(buf, l, p.lens) end
  if #procs > 0 or lens then
    return false, string.format('after a save with previews off: processes %s, lens %q', brief(procs), tostring(lens))
  end
  return true, string.format('server %d has no child process, no preview lens', server_pid(c))
end)

check('preview', function(p)
  -- The README's walk: the user trusts the folder (setup() again, with
  -- trusted_folders), saves the scenario and reads the lens and the hover,
  -- breaks the helper and sees the diagnostic, mends it.
  amber.setup({ trusted_folders = { ws } })
  local buf = open(p.file)
  local c = client(buf)
  if not c then return false, no_client(buf) end
  local seen = {}
  local start = now()
  local function step(msg)
    seen[#seen + 1] = string.format("%s (at %d ms)", msg, now() - start)
    log('preview: %s', seen[#seen])
  end
  -- Save: the lens.
  local line = cursor_at(buf, p.lens.at)
  local t0 = now()
  vim.cmd('silent write')
  if not wait(function() return has_lens(buf, line, p.lens.title) end, 30000) then
    return false, string.format('no lens %q after the save: %s; %s', p.lens.title, brief(lens_titles(buf, line)), brief(notes))
  end
  step(string.format('lens %q %d ms after the save', has_lens(buf, line, p.lens.title), now() - t0))
  local procs = vim.tbl_map(cmdline, descendants(server_pid(c)))
  step(#procs .. ' processes below the server')
  -- The hover of the overlay ref.
  close_floats()
  cursor_at(buf, p.hover.at)
  vim.cmd('normal K')
  local h
  wait(function()
    local w = floats()[1]
    h = w and text(vim.api.nvim_win_get_buf(w))
    return h ~= nil
  end)
  close_floats()
  for _, m in ipairs(p.hover.match) do
    if not (h and h:find(m, 1, true)) then return false, 'the hover lacks ' .. m .. ': ' .. brief(h) end
  end
  step('hover has ' .. table.concat(p.hover.match, ', '))
  -- :AmberPreview.
  local n = #notes
  command('AmberPreview')
  local name = 'amber://preview/' .. vim.fn.fnamemodify(p.file, ':t')
  local b = scratch(name, p.match, n)
  if not b or vim.bo[b].modifiable then
    return false, (b and 'the preview buffer can be changed' or ('no ' .. name .. ' holding ' .. brief(p.match)))
      .. '; ' .. brief(vim.list_slice(notes, n + 1))
  end
  vim.cmd('close')
  step(string.format('%s: %d lines, read-only', name, vim.api.nvim_buf_line_count(b)))
  -- Break the helper: edit its program in Neovim and write it.
  local helper = open(p.helper)
  local good = vim.api.nvim_buf_get_lines(helper, 0, -1, false)
  local at
  for i, l in ipairs(good) do
    if not at and l == p.break_before then at = i end
  end
  if not at then return false, p.helper .. ' has no line ' .. p.break_before end
  vim.api.nvim_buf_set_lines(helper, at - 1, at - 1, false, { p['break'] })
  vim.cmd('silent write')
  buf = open(p.file)
  local bline = cursor_at(buf, p.broken.at)
  local function broken()
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if d.lnum + 1 == bline and d.code == p.broken.code and d.message:find(p.broken.match, 1, true) then return d end
    end
  end
  local ok = wait(broken, 30000)
  local ds = vim.tbl_map(function(x) return string.format('%d:%d %s', x.lnum + 1, x.col + 1, x.code) end, vim.diagnostic.get(buf))
  local blens = wait(function() return has_lens(buf, bline, p.broken.lens) end, 5000)
  -- Mend it.
  open(p.helper)
  vim.api.nvim_buf_set_lines(helper, 0, -1, false, good)
  vim.cmd('silent write')
  buf = open(p.file)
  if not ok then return false, string.format('no %s on line %d after breaking the helper: %s; %s', p.broken.code, bline, brief(ds), brief(notes)) end
  step(string.format('broken: %s on line %d', p.broken.code, bline))
  if not blens then return false, string.format('no lens %q: %s', p.broken.lens, brief(lens_titles(buf, bline))) end
  step(string.format('lens %q', p.broken.lens))
  local mended = wait(function() return broken() == nil and has_lens(buf, line, p.lens.title) end, 30000)
  if not mended then return false, 'the diagnostic stayed after mending the helper: ' .. brief(seen) end
  step('mended: diagnostic gone, lens back')
  return true, seen
end)

check('graph', function(p)
  local buf = open(p.file)
  if not client(buf) then return false, no_client(buf) end
  local n = #notes
  command('AmberGraph ' .. p.format)
  local name = string.format('amber://graph/%s.%s', vim.fn.fnamemodify(p.file, ':t'), p.format)
  local b = scratch(name, p.match, n)
  if b then
    vim.cmd('close')
    return true, string.format('%s: %d lines, filetype %s', name, vim.api.nvim_buf_line_count(b), vim.bo[b].filetype)
  end
  return false, 'no ' .. name .. ' holding ' .. brief(p.match) .. '; ' .. brief(vim.list_slice(notes, n + 1))
end)

check('restart', function(p)
  local buf = open(p.file)
  local before = client(buf)
  if not before then return false, no_client(buf) end
  command('AmberRestart')
  local after
  wait(function()
    after = amber.clients(buf)[1]
    return after ~= nil and after.id ~= before.id and after.initialized == true
  end)
  if after and after.id ~= before.id and after.initialized then
    -- Every buffer back on one server, none started on its own folder
    -- while the first was initializing.
    wait(function() return #amber.clients() > 1 end, 500)
    if #amber.clients() ~= 1 then
      return false, string.format('%d servers after the restart: %s', #amber.clients(),
        brief(vim.tbl_map(function(c) return c.config.root_dir end, amber.clients())))
    end
    return true, string.format('client %d -> %d, %d server(s)', before.id, after.id, #amber.clients())
  end
  return false, 'no new client attached; ' .. brief(notes)
end)

check('health', function()
  vim.cmd('checkhealth amber')
  local t = text(0)
  vim.cmd('tabclose')
  local want = { 'OK', 'Neovim ' .. require('amber.compat').nvim_version(), os.getenv('AMBER_LSP_VERSION') }
  for _, w in ipairs(want) do
    if not t:find(w, 1, true) then return false, 'the report lacks ' .. w .. ': ' .. brief(t) end
  end
  if t:find('ERROR', 1, true) then return false, 'the report has an error: ' .. brief(t) end
  return true, vim.tbl_filter(function(l) return l:find('OK') end, vim.split(t, '\n'))
end)

check('info', function(p)
  open(p.file)
  local out = vim.api.nvim_exec('AmberInfo', true)
  for _, w in ipairs({ 'root ' .. ws, '(this one)', 'amber-lsp' }) do
    if not out:find(w, 1, true) then return false, ':AmberInfo lacks ' .. w .. ': ' .. brief(out) end
  end
  return true, vim.split(out, '\n')
end)

-- The Neovim-only checks take their file from the plan's first manifest.
local extra = { restart = { file = plan.detect.manifests[1] }, health = {}, info = { file = plan.detect.manifests[1] },
  highlights = { file = plan.highlight.file, at = plan.highlight.reference } }

for _, name in ipairs(order) do
  local p = plan[name] or extra[name]
  if p and (only == '' or (',' .. only .. ','):find(',' .. name .. ',', 1, true)) then
    local t = now()
    local ok, good, detail = pcall(checks[name], p)
    if not ok then good, detail = false, 'error: ' .. tostring(good) end
    failed = failed or not good
    local line = string.format('%s nvim %s (%d ms) %s', good and 'PASS' or 'FAIL', name, now() - t, brief(detail or ''))
    results:write(line .. '\n')
    results:flush()
    log('%s', line)
    pcall(revert_all)
  end
end

for _, c in ipairs(amber.clients()) do require('amber.compat').stop(c) end
wait(function() return #amber.clients() == 0 end, 2000)
results:close()
vim.cmd(failed and 'cquit 1' or 'qall!')
