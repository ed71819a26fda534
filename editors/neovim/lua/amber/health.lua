-- :checkhealth amber: the Neovim version and client API, the server binary and
-- its version, and the servers running now.
local compat = require('amber.compat')

local M = {}

--- Runs the checks (Neovim calls it for :checkhealth amber).
function M.check()
  local h = compat.health()
  local amber = require('amber')
  h.start('amber-lsp')

  local v = vim.version()
  local client_api = ({
    config = 'vim.lsp.config + vim.lsp.enable',
    start = 'vim.lsp.start',
    legacy = 'vim.lsp.start_client (the Neovim 0.7 fallback)',
  })[compat.level()]
  if v.major == 0 and v.minor < 7 then
    h.error('Neovim ' .. compat.nvim_version() .. ' is too old', { 'Neovim 0.7 or newer is needed' })
  else
    h.ok(string.format('Neovim %s; the server is started with %s', compat.nvim_version(), client_api))
  end

  local o = amber.options
  if not o then
    h.warn('setup() has not been called', { "add require('amber').setup() to your init.lua" })
    o = amber.defaults
  end

  if type(o.cmd) ~= 'table' then
    h.info('cmd is a function (a connection made by the plugin user); nothing to look for')
  else
    local exe = vim.fn.exepath(o.cmd[1])
    if exe == '' then
      h.error(string.format('`%s` was not found on PATH', o.cmd[1]), { amber.install_hint })
    else
      local out = vim.fn.system({ exe, 'version' })
      local version = vim.trim(out:match('[^\n]*') or '')
      if vim.v.shell_error ~= 0 then
        h.error(string.format('`%s version` failed (exit %d): %s', exe, vim.v.shell_error, version),
          { 'reinstall the server: ' .. amber.install_hint })
      else
        h.ok(string.format('server: %s (%s)', exe, version))
      end
    end
  end

  local clients = amber.clients()
  if #clients == 0 then
    h.info('no amber-lsp server is running (open an Amber manifest to start one)')
  end
  for _, c in ipairs(clients) do
    local info = amber.server_info(c)
    h.info(string.format('running: client %d, %s, root %s, %d buffer(s)', c.id,
      info and info.version and ('amber-lsp ' .. info.version) or 'amber-lsp',
      c.config.root_dir or '?', #compat.attached_buffers(c)))
  end
end

return M
