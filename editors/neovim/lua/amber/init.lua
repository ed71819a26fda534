-- amber-lsp for Neovim: Amber manifests get the `amber` filetype and the
-- amber-lsp language server. All a user writes is
--
--   require('amber').setup()
--
-- Options (each optional; see editors/neovim/README.md):
--   cmd          the server command                      { 'amber-lsp' }
--   settings     the server's settings                   { amber = {} }
--   filetypes    filetypes the server attaches to        { 'amber' }
--   root_markers files that mark a workspace folder      { '.git', '.hg', '.jj', '.svn' }
--   mappings     K (hover) and gd (definition), buffer-local, where not mapped already   true
--   on_attach    function(client, bufnr) run when the server attaches to a buffer
local compat = require('amber.compat')
local manifest = require('amber.manifest')

local M = {}

--- The client name, in :LspInfo, :checkhealth vim.lsp and vim.lsp.config.
M.name = 'amber'

--- The command that installs (or updates) the server.
M.install_command = 'go install github.com/amberlsp/amber-lsp/cmd/amber-lsp@latest'

--- What to do about a missing server.
M.install_hint = 'install it with `' .. M.install_command .. '` '
  .. 'and put $(go env GOPATH)/bin on the PATH Neovim starts with, or give its full path: '
  .. "require('amber').setup({ cmd = { '/path/to/amber-lsp' } })"

M.defaults = {
  cmd = { 'amber-lsp' },
  settings = { amber = {} },
  filetypes = { 'amber' },
  root_markers = { '.git', '.hg', '.jj', '.svn' },
  mappings = true,
  on_attach = nil,
}

--- The options in use; nil until setup() is called.
M.options = nil

-- Per client id: the initialize result's serverInfo ({ name, version }).
local server_info = {}

local group = vim.api.nvim_create_augroup('amber', { clear = true })

-- Settings as given, the `amber` section wrapped when given bare. An empty
-- section is sent as {} (not []), which the server takes as "no change".
local function normalize_settings(s)
  s = vim.deepcopy(s or {})
  if s.amber == nil and next(s) ~= nil then
    s = { amber = s }
  end
  if s.amber == nil or next(s.amber) == nil then
    s.amber = vim.empty_dict()
  end
  return s
end

local missing_reported = false

--- Whether the server command can run; says how to install it once if not.
function M.server_available()
  local cmd = M.options.cmd
  if type(cmd) ~= 'table' then
    return true -- a function (vim.lsp.rpc.connect(...)): nothing to look for
  end
  if vim.fn.executable(cmd[1]) == 1 then
    return true
  end
  if not missing_reported then
    missing_reported = true
    vim.notify(string.format('amber-lsp: `%s` was not found; %s. (:checkhealth amber)', cmd[1], M.install_hint),
      vim.log.levels.ERROR)
  end
  return false
end

local function on_attach(client, bufnr)
  -- Neovim 0.7 has no LSP completion without it (<C-x><C-o> gives E764).
  vim.bo[bufnr].omnifunc = 'v:lua.vim.lsp.omnifunc'
  if vim.bo[bufnr].tagfunc == '' then
    vim.bo[bufnr].tagfunc = 'v:lua.vim.lsp.tagfunc'
  end
  if M.options.mappings then
    local function map(lhs, rhs, desc)
      if vim.fn.maparg(lhs, 'n') == '' then
        vim.keymap.set('n', lhs, rhs, { buffer = bufnr, desc = desc })
      end
    end
    map('K', vim.lsp.buf.hover, 'Amber: hover')
    map('gd', vim.lsp.buf.definition, 'Amber: go to definition')
  end
  if M.options.on_attach then
    M.options.on_attach(client, bufnr)
  end
end

local function on_init(client, result)
  server_info[client.id] = result and result.serverInfo
  -- 0.7 sends no settings by itself; 0.8+ does when there are any.
  if compat.level() == 'legacy' then
    compat.notify(client, 'workspace/didChangeConfiguration', { settings = client.config.settings })
  end
end

--- The client configuration every start shares (no root_dir).
function M.client_config()
  local o = M.options
  return {
    name = M.name,
    cmd = o.cmd,
    settings = o.settings,
    init_options = o.settings,
    on_attach = on_attach,
    on_init = on_init,
    flags = { debounce_text_changes = 150 },
  }
end

--- The running amber clients (of `bufnr` only, when given).
function M.clients(bufnr)
  return compat.clients({ name = M.name, bufnr = bufnr })
end

--- The serverInfo the client's server sent, if any.
function M.server_info(client)
  return server_info[client.id]
end

--- The workspace folder of buffer `bufnr`.
function M.root_of(bufnr)
  local roots = {}
  for _, c in ipairs(M.clients()) do
    if c.config.root_dir then roots[#roots + 1] = c.config.root_dir end
  end
  return manifest.root(vim.api.nvim_buf_get_name(bufnr), M.options.root_markers, roots)
end

-- The config to start for bufnr, or nil when the buffer is no file or the
-- server is missing.
local function config_for(bufnr)
  if vim.api.nvim_buf_get_name(bufnr) == '' or vim.bo[bufnr].buftype ~= '' then
    return nil
  end
  if not M.server_available() then
    return nil
  end
  return vim.tbl_extend('force', M.client_config(), { root_dir = M.root_of(bufnr) })
end

--- Starts (or reuses) the server for buffer `bufnr` and attaches it.
function M.attach(bufnr)
  local c = config_for(bufnr)
  if c then compat.start(bufnr, c) end
end

-- Sets the `amber` filetype on manifests. On reading a file it is set even
-- when the buffer has it already: a re-read runs the filetype detection again,
-- and setting it first keeps Neovim's own `setf json5` from replacing it.
local function detect(bufnr, event)
  if event == 'BufWritePost' and vim.bo[bufnr].filetype == 'amber' then
    return
  end
  if manifest.is_manifest(bufnr) then
    vim.api.nvim_buf_call(bufnr, function() vim.bo.filetype = 'amber' end)
  end
end

local function register_detection()
  vim.api.nvim_create_autocmd({ 'BufRead', 'BufNewFile', 'BufWritePost' }, {
    group = group,
    pattern = { '*.json5', '*.json' },
    callback = function(args) detect(args.buf, args.event) end,
  })
end

-- Pushes new settings to the running clients (setup() called again).
local function push_settings()
  for _, c in ipairs(M.clients()) do
    compat.set_settings(c, M.options.settings)
    compat.notify(c, 'workspace/didChangeConfiguration', { settings = M.options.settings })
  end
end

--- Sets the plugin up; `opts` overrides M.defaults. May be called again to
--- change options; running servers then get the new settings.
function M.setup(opts)
  local again = M.options ~= nil
  M.options = vim.tbl_extend('force', M.defaults, opts or {})
  M.options.settings = normalize_settings(M.options.settings)
  vim.api.nvim_clear_autocmds({ group = group })
  register_detection()
  compat.register(M.name, M.options.filetypes, M.client_config(), config_for, group)
  require('amber.commands').register()
  if again then
    push_settings()
  end
  -- Buffers read before setup (a plugin manager loading it late).
  for _, b in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(b) then
      if vim.bo[b].filetype == 'amber' and #M.clients(b) == 0 and compat.level() ~= 'config' then
        M.attach(b)
      else
        detect(b, 'BufWritePost')
      end
    end
  end
end

return M
