-- The one place that knows how Neovim versions differ. Everything else in the
-- plugin calls these functions and never looks at the version itself.
--
--   level()  'config'  Neovim 0.11+: vim.lsp.config + vim.lsp.enable, client methods (client:request)
--            'start'   Neovim 0.8-0.10: vim.lsp.start (one client per name and root_dir)
--            'legacy'  Neovim 0.7: vim.lsp.start_client + buf_attach_client, one client per root
--                      kept here, settings pushed with workspace/didChangeConfiguration
--
-- The level is read from the functions Neovim has, each time it is asked, so a
-- test can put stubs in place before setup() and see them used.
local M = {}

M.uv = vim.uv or vim.loop

--- Whether a table is a list (vim.islist since 0.10, vim.tbl_islist before).
M.islist = vim.islist or vim.tbl_islist

--- The client API this Neovim offers: 'config', 'start' or 'legacy'.
function M.level()
  if vim.lsp.config ~= nil and vim.lsp.enable ~= nil then
    return 'config'
  elseif vim.lsp.start ~= nil then
    return 'start'
  end
  return 'legacy'
end

--- "0.7.2": the running Neovim's version.
function M.nvim_version()
  local v = vim.version()
  return string.format('%d.%d.%d', v.major, v.minor, v.patch)
end

-- Client functions became methods in 0.11 (client:request(...)); before, they
-- were closures (client.request(...)). Calling the old form on 0.11 warns.
local function call(client, name, ...)
  if M.level() == 'config' then
    return client[name](client, ...)
  end
  return client[name](...)
end

--- Sends a request on behalf of bufnr; handler(err, result, ctx) as in every version since 0.5.1.
function M.request(client, method, params, handler, bufnr)
  return call(client, 'request', method, params, handler, bufnr)
end

--- Sends a notification.
function M.notify(client, method, params)
  return call(client, 'notify', method, params)
end

--- Asks the server to shut down (force: kill it).
function M.stop(client, force)
  return call(client, 'stop', force)
end

--- Whether the client has exited or is shutting down.
function M.is_stopped(client)
  return call(client, 'is_stopped')
end

--- The running clients, optionally only those named `name` and attached to `bufnr`.
function M.clients(filter)
  filter = filter or {}
  local found = {}
  if vim.lsp.get_clients then -- 0.10+
    found = vim.lsp.get_clients({ name = filter.name, bufnr = filter.bufnr })
  else
    local all = filter.bufnr and vim.lsp.buf_get_clients(filter.bufnr) or vim.lsp.get_active_clients()
    for _, c in pairs(all) do
      if not filter.name or c.name == filter.name then
        found[#found + 1] = c
      end
    end
  end
  table.sort(found, function(a, b) return a.id < b.id end)
  return found
end

--- The buffers a client is attached to (client.attached_buffers exists since 0.7).
function M.attached_buffers(client)
  local bufs = {}
  for b in pairs(client.attached_buffers or {}) do bufs[#bufs + 1] = b end
  table.sort(bufs)
  return bufs
end

--- Replaces the settings a running client answers workspace/configuration with
--- (client.settings since 0.10, client.config.settings before).
function M.set_settings(client, settings)
  client.config.settings = settings
  if client.settings ~= nil or M.level() == 'config' then
    client.settings = settings
  end
end

-- The legacy level keeps one client per root itself; 0.8+ reuses clients by
-- name and root_dir on its own.
local legacy_clients = {} -- root_dir -> client id

--- Starts (or reuses) the client for config.root_dir and attaches bufnr to it.
function M.start(bufnr, config)
  local level = M.level()
  if level ~= 'legacy' then
    return vim.lsp.start(config, { bufnr = bufnr })
  end
  local id = legacy_clients[config.root_dir]
  local client = id and vim.lsp.get_client_by_id(id)
  if not client or M.is_stopped(client) then
    local on_exit = config.on_exit
    local root = config.root_dir
    config = vim.tbl_extend('force', config, {
      on_exit = function(...)
        if legacy_clients[root] == id then legacy_clients[root] = nil end
        if on_exit then on_exit(...) end
      end,
    })
    id = vim.lsp.start_client(config)
    legacy_clients[root] = id
  end
  if id then
    vim.lsp.buf_attach_client(bufnr, id)
  end
  return id
end

--- Arranges for `name` to start on buffers of `filetypes`. make_config(bufnr)
--- returns the client config for a buffer (with its root_dir) or nil to leave
--- the buffer alone. On 0.11 the config goes to vim.lsp.config with root_dir as
--- a function and vim.lsp.enable starts it; before, a FileType autocmd in
--- `group` calls attach(bufnr) (by default: M.start with make_config's config).
function M.register(name, filetypes, base, make_config, group, attach)
  if M.level() == 'config' then
    local config = vim.tbl_extend('force', base, {
      filetypes = filetypes,
      root_dir = function(bufnr, on_dir)
        local c = make_config(bufnr)
        if c then on_dir(c.root_dir) end
      end,
    })
    vim.lsp.config(name, config)
    vim.lsp.enable(name)
    return
  end
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = filetypes,
    callback = function(args)
      if attach then return attach(args.buf) end
      local c = make_config(args.buf)
      if c then M.start(args.buf, c) end
    end,
  })
end

--- The health reporters: vim.health.start/ok/... (0.9+), vim.health.report_*
--- (0.8) or require('health').report_* (0.7). Each takes (msg[, advice]).
function M.health()
  local h = vim.health
  if h and h.start then
    return { start = h.start, ok = h.ok, info = h.info, warn = h.warn, error = h.error }
  end
  if not (h and h.report_start) then
    h = require('health')
  end
  return { start = h.report_start, ok = h.report_ok, info = h.report_info, warn = h.report_warn, error = h.report_error }
end

return M
