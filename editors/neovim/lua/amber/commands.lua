-- The user commands: :AmberPreview, :AmberGraph, :AmberRestart, :AmberInfo.
-- The preview and the graph come from the server's workspace/executeCommand
-- (amber.overlays.preview, amber.graph) and open in read-only scratch buffers.
-- Also the client-side command of the server's reference lenses,
-- amber.showReferences, in vim.lsp.commands.
local compat = require('amber.compat')

local M = {}

--- The formats :AmberGraph accepts; the first is the default.
M.graph_formats = { 'mermaid', 'dot', 'json' }
local graph_filetypes = { mermaid = 'mermaid', dot = 'dot', json = 'json' }

local function amber() return require('amber') end

local function err(msg) vim.notify('amber-lsp: ' .. msg, vim.log.levels.ERROR) end

-- The amber client of the current buffer, or nil after saying why there is none.
local function client_of(bufnr)
  local c = amber().clients(bufnr)[1]
  if c then return c end
  if vim.bo[bufnr].filetype ~= 'amber' then
    err('this buffer is not an Amber manifest (a .json5/.json file with `manifest_version`); see :AmberInfo')
  else
    err('no amber-lsp server is attached to this buffer; see :AmberInfo and :checkhealth amber')
  end
end

local function offers(client, command)
  local p = client.server_capabilities and client.server_capabilities.executeCommandProvider
  return type(p) == 'table' and vim.tbl_contains(p.commands or {}, command)
end

local function server_version(client)
  local info = amber().server_info(client)
  return info and info.version and (' ' .. info.version) or ''
end

--- Runs `command` on the server of buffer `bufnr` with `arguments`; calls
--- on_result(result) with its answer, or says what went wrong.
function M.execute(bufnr, command, arguments, on_result)
  local client = client_of(bufnr)
  if not client then return end
  if not offers(client, command) then
    err(string.format('this amber-lsp%s does not offer the command %s; update the server (%s)',
      server_version(client), command, amber().install_command))
    return
  end
  compat.request(client, 'workspace/executeCommand', { command = command, arguments = arguments },
    function(e, result)
      if e then
        err(string.format('%s failed: %s', command, type(e) == 'table' and (e.message or vim.inspect(e)) or tostring(e)))
        return
      end
      on_result(result)
    end, bufnr)
end

-- JSON with two-space indentation and sorted keys (a decoded object has lost
-- its key order), for showing a preview.
local empty_dict_mt = getmetatable(vim.empty_dict())
local function pretty(v, indent, out)
  local t = type(v)
  if v == vim.NIL or v == nil then
    out[#out + 1] = 'null'
  elseif t == 'table' then
    local inner = indent .. '  '
    local is_object = getmetatable(v) == empty_dict_mt or (next(v) ~= nil and not compat.islist(v))
    if next(v) == nil then
      out[#out + 1] = is_object and '{}' or '[]'
      return
    end
    local keys = {}
    if is_object then
      for k in pairs(v) do keys[#keys + 1] = k end
      table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
    else
      for i = 1, #v do keys[i] = i end
    end
    out[#out + 1] = is_object and '{\n' or '[\n'
    for i, k in ipairs(keys) do
      out[#out + 1] = inner
      if is_object then out[#out + 1] = vim.json.encode(tostring(k)) .. ': ' end
      pretty(v[k], inner, out)
      out[#out + 1] = i < #keys and ',\n' or '\n'
    end
    out[#out + 1] = indent .. (is_object and '}' or ']')
  else
    out[#out + 1] = vim.json.encode(v)
  end
end

--- `v` as indented JSON text.
function M.json_text(v)
  local out = {}
  pretty(v, '', out)
  return table.concat(out)
end

--- Shows `text` in a read-only scratch buffer called `name` (reused when it
--- is open already) in a split; returns the buffer.
function M.show(name, text, filetype)
  local buf
  for _, b in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_get_name(b) == name then buf = b end
  end
  if not buf then
    buf = vim.api.nvim_create_buf(false, true)
    vim.api.nvim_buf_set_name(buf, name)
  end
  vim.bo[buf].buftype = 'nofile'
  vim.bo[buf].bufhidden = 'hide'
  vim.bo[buf].swapfile = false
  vim.bo[buf].modifiable = true
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, vim.split(text, '\n', { plain = true }))
  vim.bo[buf].modifiable = false
  vim.bo[buf].readonly = true
  vim.bo[buf].modified = false
  if filetype then vim.bo[buf].filetype = filetype end
  local win = vim.fn.bufwinid(buf)
  if win == -1 then
    vim.cmd('split')
    vim.api.nvim_win_set_buf(0, buf)
  else
    vim.api.nvim_set_current_win(win)
  end
  return buf
end

local function file_name(bufnr) return vim.fn.fnamemodify(vim.api.nvim_buf_get_name(bufnr), ':t') end

--- :AmberPreview: what the overlays of the current scenario do (runs the
--- overlay helpers: the server does it only with amber.overlays.preview on).
function M.preview(bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  M.execute(bufnr, 'amber.overlays.preview', { vim.uri_from_bufnr(bufnr) }, function(result)
    local text = type(result) == 'string' and result or M.json_text(result)
    M.show('amber://preview/' .. file_name(bufnr), text, 'json')
  end)
end

--- :AmberGraph [format]: the scenario graph as text (with ! the overlays applied).
function M.graph(bufnr, format, apply_overlays)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  format = (format and format ~= '') and format or M.graph_formats[1]
  if not graph_filetypes[format] then
    err(string.format('unknown graph format %q; use one of %s', format, table.concat(M.graph_formats, ', ')))
    return
  end
  local args = { vim.uri_from_bufnr(bufnr), { format = format, applyOverlays = apply_overlays == true } }
  M.execute(bufnr, 'amber.graph', args, function(result)
    local text = type(result) == 'string' and result or M.json_text(result)
    M.show(string.format('amber://graph/%s.%s', file_name(bufnr), format), text, graph_filetypes[format])
  end)
end

--- :AmberRestart: stops every amber server and starts them again on the
--- buffers they had.
function M.restart()
  local clients = amber().clients()
  local bufs = {}
  for _, c in ipairs(clients) do
    vim.list_extend(bufs, compat.attached_buffers(c))
    compat.stop(c)
  end
  if #clients == 0 then
    bufs = vim.tbl_filter(function(b)
      return vim.api.nvim_buf_is_loaded(b) and vim.tbl_contains(amber().options.filetypes, vim.bo[b].filetype)
    end, vim.api.nvim_list_bufs())
  end
  local deadline = compat.uv.now() + 3000
  local timer = compat.uv.new_timer()
  timer:start(50, 50, vim.schedule_wrap(function()
    local running = vim.tbl_filter(function(c) return not compat.is_stopped(c) end, clients)
    if #running > 0 and compat.uv.now() < deadline then return end
    for _, c in ipairs(running) do compat.stop(c, true) end
    timer:stop()
    timer:close()
    for _, b in ipairs(bufs) do
      if vim.api.nvim_buf_is_valid(b) then amber().attach(b) end
    end
    vim.notify(string.format('amber-lsp: restarted (%d buffer%s)', #bufs, #bufs == 1 and '' or 's'))
  end))
end

--- The lines :AmberInfo shows.
function M.info_lines(bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  local a = amber()
  local o = a.options
  local lines = {}
  local function add(fmt, ...) lines[#lines + 1] = string.format(fmt, ...) end
  add('amber-lsp for Neovim %s (client API: %s)', compat.nvim_version(), compat.level())
  if not o then
    add("setup() has not been called: add require('amber').setup() to your init.lua")
    return lines
  end
  local cmd = type(o.cmd) == 'table' and table.concat(o.cmd, ' ') or tostring(o.cmd)
  local exe = type(o.cmd) == 'table' and vim.fn.exepath(o.cmd[1]) or ''
  add('command: %s (%s)', cmd, exe ~= '' and exe or 'not found on PATH')
  add('settings: %s', vim.inspect(o.settings, { newline = ' ', indent = '' }))
  local name = vim.api.nvim_buf_get_name(bufnr)
  add('this buffer: %s, filetype %q%s', name ~= '' and vim.fn.fnamemodify(name, ':~:.') or '[no name]',
    vim.bo[bufnr].filetype, name ~= '' and (', root ' .. a.root_of(bufnr)) or '')
  local clients = a.clients()
  if #clients == 0 then
    add('no amber-lsp server is running')
  end
  for _, c in ipairs(clients) do
    local info = a.server_info(c)
    add('server %d: %s%s, root %s, %d buffer(s)%s', c.id, info and info.name or 'amber-lsp',
      (info and info.version) and (' ' .. info.version) or '', c.config.root_dir or '?',
      #compat.attached_buffers(c), vim.tbl_contains(compat.attached_buffers(c), bufnr) and ' (this one)' or '')
  end
  return lines
end

--- :AmberInfo: the plugin's state, for the current buffer.
function M.info()
  vim.api.nvim_echo({ { table.concat(M.info_lines(), '\n') } }, true, {})
end

--- The command the server's "N references" lenses run (vim.lsp.codelens.run()):
--- arguments { uri, position, locations }, as VS Code's
--- editor.action.showReferences takes them; the server does not execute it.
--- The locations go to the quickfix list, which opens.
function M.show_references(command, ctx)
  local locations = (command.arguments or {})[3] or {}
  local client = ctx and ctx.client_id and vim.lsp.get_client_by_id(ctx.client_id)
  local items = vim.lsp.util.locations_to_items(locations, client and client.offset_encoding or 'utf-16')
  vim.fn.setqflist({}, ' ', { title = 'Amber: ' .. (command.title or 'references'), items = items })
  if #items > 0 then
    vim.cmd('botright copen')
  else
    vim.notify('amber-lsp: no references')
  end
end

--- Defines the user commands (again: replaces them) and the lenses' command.
function M.register()
  vim.lsp.commands['amber.showReferences'] = M.show_references
  local cmd = vim.api.nvim_create_user_command
  cmd('AmberPreview', function() M.preview() end,
    { desc = 'Amber: preview what the overlays do to this scenario (runs its overlay helpers)' })
  cmd('AmberGraph', function(o) M.graph(nil, o.args, o.bang) end, {
    nargs = '?',
    bang = true,
    complete = function() return M.graph_formats end,
    desc = 'Amber: the scenario graph [mermaid|dot|json]; with ! the overlays applied',
  })
  cmd('AmberRestart', function() M.restart() end, { desc = 'Amber: restart the language server' })
  cmd('AmberInfo', function() M.info() end, { desc = 'Amber: the server, its settings and this buffer' })
end

return M
