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
--   trusted_folders  folders whose servers run overlay previews   {}
--   cloud_init   YAML buffers join a running server of their folder   true
--   codelens     show and refresh the server's code lenses   true
--   mappings     K (hover) and gd (definition), buffer-local, where not mapped already   true
--   highlights   highlight the places that name what the cursor rests on   true
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
  trusted_folders = {},
  cloud_init = true,
  codelens = true,
  mappings = true,
  highlights = true,
  on_attach = nil,
}

--- The options in use; nil until setup() is called.
M.options = nil

-- Per client id: the initialize result's serverInfo ({ name, version }).
local server_info = {}

-- The workspace folders of the servers this plugin started that have not
-- finished initializing (Neovim lists a client only once it has): a
-- manifest attached meanwhile joins one of them rather than starting its own.
local pending_roots = {}

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

--- The filetype of the cloud-init files manifests name ({ file = "user-data.yaml" }).
M.sidecar_filetype = 'yaml'

-- A folder as an absolute path without a trailing slash.
local function absolute(dir)
  local p = vim.fn.fnamemodify(vim.fn.expand(dir), ':p')
  return #p > 1 and p:gsub('/+$', '') or p
end

--- Whether the workspace folder `root` is in one of the trusted folders.
function M.trusted(root)
  if not root then return false end
  for _, dir in ipairs(M.options.trusted_folders or {}) do
    if manifest.within(root, absolute(dir)) then return true end
  end
  return false
end

--- The settings the server of workspace folder `root` gets: the `settings`
--- option, with amber.overlays.preview on in a trusted folder.
function M.settings_for(root)
  local s = vim.deepcopy(M.options.settings)
  if M.trusted(root) then
    if getmetatable(s.amber) then s.amber = {} end -- the empty-dict marker
    s.amber.overlays = vim.tbl_extend('force', s.amber.overlays or {}, { preview = true })
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

-- Refreshes the code lenses of the loaded buffers attached to client.
local function refresh_lenses(client)
  for _, b in ipairs(compat.attached_buffers(client)) do
    if vim.api.nvim_buf_is_loaded(b) then
      vim.api.nvim_buf_call(b, function() pcall(vim.lsp.codelens.refresh) end)
    end
  end
end

-- Shows the server's code lenses in bufnr, refreshed as Neovim's docs
-- suggest (entering the buffer, leaving insert mode, writing) and whenever
-- the server asks (workspace/codeLens/refresh: another file's edit or an
-- overlay preview changed them).
local function show_lenses(client, bufnr)
  if not (M.options.codelens and client.server_capabilities and client.server_capabilities.codeLensProvider) then
    return
  end
  local g = vim.api.nvim_create_augroup('amber_codelens_' .. bufnr, { clear = true })
  vim.api.nvim_create_autocmd({ 'BufEnter', 'InsertLeave', 'BufWritePost' }, {
    group = g,
    buffer = bufnr,
    callback = function() pcall(vim.lsp.codelens.refresh) end,
  })
  vim.api.nvim_buf_call(bufnr, function() pcall(vim.lsp.codelens.refresh) end)
end

-- The places of the buffer that name what the cursor rests on
-- (textDocument/documentHighlight), shown after 'updatetime' with the groups
-- LspReferenceWrite (the declaration) and LspReferenceRead, which are linked
-- to Visual unless the colour scheme sets them; cleared as the cursor moves.
local function show_highlights(client, bufnr)
  if not (M.options.highlights and client.server_capabilities and client.server_capabilities.documentHighlightProvider) then
    return
  end
  for _, name in ipairs({ 'LspReferenceText', 'LspReferenceRead', 'LspReferenceWrite' }) do
    vim.cmd('highlight default link ' .. name .. ' Visual')
  end
  local g = vim.api.nvim_create_augroup('amber_highlights_' .. bufnr, { clear = true })
  vim.api.nvim_create_autocmd({ 'CursorHold', 'CursorHoldI' }, {
    group = g,
    buffer = bufnr,
    callback = function() pcall(vim.lsp.buf.document_highlight) end,
  })
  vim.api.nvim_create_autocmd({ 'CursorMoved', 'CursorMovedI', 'BufLeave' }, {
    group = g,
    buffer = bufnr,
    callback = function() pcall(vim.lsp.buf.clear_references) end,
  })
end

local function on_attach(client, bufnr)
  show_lenses(client, bufnr)
  show_highlights(client, bufnr)
  -- Inlay hints (binding kinds, interpolated values, overlay previews) where
  -- Neovim has them (0.10+).
  if vim.lsp.inlay_hint and vim.lsp.inlay_hint.enable and client.server_capabilities
    and client.server_capabilities.inlayHintProvider then
    pcall(vim.lsp.inlay_hint.enable, true, { bufnr = bufnr })
  end
  if vim.bo[bufnr].filetype == M.sidecar_filetype then
    return -- a cloud-init file: diagnostics, hover and definition; the keys are the user's
  end
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

-- The settings of the client's folder, at start-up (before_init runs
-- before `initialize`; on 0.11 the root is only known then).
local function before_init(params, config)
  local s = M.settings_for(config.root_dir)
  config.settings = s
  params.initializationOptions = s
end

local function on_init(client, result)
  pending_roots[client.config.root_dir or ''] = nil
  server_info[client.id] = result and result.serverInfo
  compat.set_settings(client, M.settings_for(client.config.root_dir))
  -- 0.7 sends no settings by itself; 0.8+ does when there are any.
  if compat.level() == 'legacy' then
    compat.notify(client, 'workspace/didChangeConfiguration', { settings = client.config.settings })
  end
end

--- The client-side handlers of server requests.
M.handlers = {
  ['workspace/codeLens/refresh'] = function(_, _, ctx)
    local client = vim.lsp.get_client_by_id(ctx.client_id)
    if client then vim.schedule(function() refresh_lenses(client) end) end
    return vim.NIL
  end,
}

--- The client capabilities: Neovim's own, plus lens refreshes (handled above).
function M.capabilities()
  local caps = vim.lsp.protocol.make_client_capabilities()
  caps.workspace = caps.workspace or {}
  caps.workspace.codeLens = vim.tbl_extend('force', caps.workspace.codeLens or {}, { refreshSupport = true })
  return caps
end

--- The client configuration every start shares (root_dir and the settings
--- that depend on it are added per folder).
function M.client_config(root)
  local o = M.options
  local s = M.settings_for(root)
  return {
    name = M.name,
    cmd = o.cmd,
    settings = s,
    init_options = s,
    capabilities = M.capabilities(),
    handlers = M.handlers,
    before_init = before_init,
    on_attach = on_attach,
    on_init = on_init,
    on_exit = function(_, _, client_id)
      local c = vim.lsp.get_client_by_id(client_id)
      if c then pending_roots[c.config.root_dir or ''] = nil end
    end,
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

-- The roots of the running amber clients, and of those starting.
local function running_roots()
  local roots = vim.tbl_keys(pending_roots)
  for _, c in ipairs(M.clients()) do
    if c.config.root_dir then roots[#roots + 1] = c.config.root_dir end
  end
  return roots
end

--- The workspace folder of buffer `bufnr`.
function M.root_of(bufnr)
  return manifest.root(vim.api.nvim_buf_get_name(bufnr), M.options.root_markers, running_roots())
end

-- The config to start for bufnr, or nil when the buffer is no file or the
-- server is missing. A YAML buffer (a cloud-init file a manifest names)
-- only joins a server running for a folder that holds it.
local function config_for(bufnr)
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == '' or vim.bo[bufnr].buftype ~= '' then
    return nil
  end
  local root
  if vim.bo[bufnr].filetype == M.sidecar_filetype then
    if not M.options.cloud_init then return nil end
    root = manifest.deepest_root(vim.fn.fnamemodify(name, ':p'), running_roots())
    if not root then return nil end
  elseif not M.server_available() then
    return nil
  end
  root = root or M.root_of(bufnr)
  return vim.tbl_extend('force', M.client_config(root), { root_dir = root })
end

--- Starts (or reuses) the server for buffer `bufnr` and attaches it.
function M.attach(bufnr)
  local c = config_for(bufnr)
  if c then
    local known = vim.tbl_contains(running_roots(), c.root_dir)
    local id = compat.start(bufnr, c)
    if id and not known then pending_roots[c.root_dir] = true end
  end
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

-- Whether the client's Neovim reports changes on disk to the server itself
-- (workspace/didChangeWatchedFiles through dynamic registration: 0.9+, not
-- on Linux by default since 0.10).
local function watches_files(client)
  local w = (client.config.capabilities or {}).workspace
  return type(w) == 'table' and type(w.didChangeWatchedFiles) == 'table'
    and w.didChangeWatchedFiles.dynamicRegistration == true
end

-- Files written in Neovim that no amber server syncs (an overlay helper's
-- program, a `{ file }` a program reads) are reported to the servers whose
-- folders hold them, as the file watchers Neovim lacks would: the server
-- re-checks what read them, and a helper program's change runs the overlay
-- preview again.
local function register_write_reports()
  local existed = {}
  vim.api.nvim_create_autocmd('BufWritePre', {
    group = group,
    callback = function(args) existed[args.buf] = vim.fn.filereadable(vim.api.nvim_buf_get_name(args.buf)) == 1 end,
  })
  vim.api.nvim_create_autocmd('BufWritePost', {
    group = group,
    callback = function(args)
      local name = vim.api.nvim_buf_get_name(args.buf)
      if name == '' or vim.bo[args.buf].buftype ~= '' then return end
      local path = vim.fn.fnamemodify(name, ':p')
      local created = existed[args.buf] == false
      existed[args.buf] = nil
      for _, c in ipairs(M.clients()) do
        local root = c.config.root_dir
        if root and manifest.within(path, root) and not (c.attached_buffers or {})[args.buf]
          and not watches_files(c) and not compat.is_stopped(c) then
          compat.notify(c, 'workspace/didChangeWatchedFiles',
            { changes = { { uri = vim.uri_from_fname(path), type = created and 1 or 2 } } })
        end
      end
    end,
  })
end

-- Pushes new settings to the running clients (setup() called again).
local function push_settings()
  for _, c in ipairs(M.clients()) do
    local s = M.settings_for(c.config.root_dir)
    compat.set_settings(c, s)
    compat.notify(c, 'workspace/didChangeConfiguration', { settings = s })
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
  register_write_reports()
  local filetypes = vim.deepcopy(M.options.filetypes)
  if M.options.cloud_init then filetypes[#filetypes + 1] = M.sidecar_filetype end
  compat.register(M.name, filetypes, M.client_config(), config_for, group, M.attach)
  require('amber.commands').register()
  if again then
    push_settings()
  end
  -- Buffers read before setup (a plugin manager loading it late).
  for _, b in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(b) then
      if vim.tbl_contains(M.options.filetypes, vim.bo[b].filetype) and #M.clients(b) == 0 and compat.level() ~= 'config' then
        M.attach(b)
      else
        detect(b, 'BufWritePost')
      end
    end
  end
end

return M
