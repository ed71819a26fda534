-- The plugin's code paths for Neovim versions that cannot run here, against
-- stubs of the APIs those versions have, plus the plain functions. Each stub
-- asserts that it is called as Neovim documents it:
--   0.8-0.10  vim.lsp.start(config, { bufnr = ... })
--   0.11+     vim.lsp.config('amber', config) with root_dir(bufnr, on_dir),
--             vim.lsp.enable('amber'), client methods (client:request(...))
--   0.9+      vim.health.start/ok/info/warn/error; 0.8: vim.health.report_*
-- Run by test.sh: nvim --headless -u NONE --cmd 'set rtp^=editors/neovim' -c 'luafile test/stubs.lua'
-- in the test workspace (WS), appending PASS/FAIL lines to RESULTS.
local uv = vim.uv or vim.loop
local ws = assert(os.getenv('WS'), 'WS is not set')
local results = assert(io.open(assert(os.getenv('RESULTS'), 'RESULTS is not set'), 'a'))
local failed = false

-- What the stubs replace, and the values this Neovim has (nil for most).
local stubbed = { 'start', 'config', 'enable', 'get_clients', 'health' }
local saved = {
  start = vim.lsp.start, config = vim.lsp.config, enable = vim.lsp.enable,
  get_clients = vim.lsp.get_clients, health = vim.health,
}

-- A fresh plugin: its modules reloaded, the stubs of the test in place,
-- every buffer gone.
local function fresh(stubs)
  vim.cmd('silent! %bwipeout!')
  for name in pairs(package.loaded) do
    if name == 'amber' or name:find('^amber%.') then package.loaded[name] = nil end
  end
  stubs = stubs or {}
  for _, k in ipairs(stubbed) do
    local v = stubs[k]
    if v == nil then v = saved[k] end
    if k == 'health' then vim.health = v else vim.lsp[k] = v end
  end
end

local function eq(got, want, what)
  if not vim.deep_equal(got, want) then
    error(string.format('%s: want %s, got %s', what, vim.inspect(want), vim.inspect(got)), 2)
  end
end
local function expect(cond, what)
  if not cond then error(what, 2) end
end

local function test(name, fn)
  local t = uv.hrtime()
  local ok, e = pcall(fn)
  failed = failed or not ok
  results:write(string.format('%s nvim %s (%d ms)%s\n', ok and 'PASS' or 'FAIL', name,
    (uv.hrtime() - t) / 1e6, ok and '' or (' ' .. tostring(e):gsub('%s+', ' '))))
  results:flush()
end

local function open(file)
  vim.cmd('edit ' .. vim.fn.fnameescape(ws .. '/' .. file))
  return vim.api.nvim_get_current_buf()
end

local function buffer_named(name)
  for _, b in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_get_name(b) == name then return b end
  end
end

vim.cmd('filetype plugin on')

test('stub:manifest-key', function()
  local m = require('amber.manifest')
  local plan = vim.json.decode(table.concat(vim.fn.readfile(assert(os.getenv('PLAN'), 'PLAN is not set')), '\n'))
  for _, c in ipairs(plan.manifest_key.cases) do
    eq(m.lines_have_manifest_key(c[1]), c[2], table.concat(c[1], ' / '))
  end
  eq(m.has_manifest_extension('/a/b.JSON5'), true, 'b.JSON5')
  eq(m.has_manifest_extension('/a/b.jsonc'), false, 'b.jsonc')
end)

test('stub:root', function()
  local m = require('amber.manifest')
  local tmp = vim.fn.tempname()
  vim.fn.mkdir(tmp .. '/repo/.git', 'p')
  vim.fn.mkdir(tmp .. '/repo/sub', 'p')
  vim.fn.mkdir(tmp .. '/loose/child', 'p')
  eq(m.root(tmp .. '/repo/sub/a.json5', { '.git' }, {}), tmp .. '/repo', 'a marker above the file')
  eq(m.root(tmp .. '/loose/child/a.json5', { '.git' }, {}), tmp .. '/loose/child', 'no marker: the file\'s folder')
  eq(m.root(tmp .. '/loose/child/a.json5', { '.git' }, { tmp .. '/loose', tmp .. '/elsewhere' }), tmp .. '/loose',
    'no marker: the root of a running server that holds the file')
  eq(m.root(tmp .. '/loose2/a.json5', { '.git' }, { tmp .. '/loose' }), tmp .. '/loose2', 'a root is no prefix match')
  vim.fn.delete(tmp, 'rf')
end)

test('stub:json-text', function()
  local c = require('amber.commands')
  eq(c.json_text(vim.json.decode('{"b":[1,{"c":null}],"a":"x\\"y","e":{},"f":[]}')),
    table.concat({ '{', '  "a": "x\\"y",', '  "b": [', '    1,', '    {', '      "c": null', '    }', '  ],',
      '  "e": {},', '  "f": []', '}' }, '\n'), 'pretty JSON')
end)

-- Neovim 0.8-0.10: a FileType autocmd calls vim.lsp.start(config, { bufnr = b }).
test('stub:0.8-vim.lsp.start', function()
  local calls = {}
  fresh({ start = function(config, opts) calls[#calls + 1] = { config = config, opts = opts }; return 7 end })
  local amber = require('amber')
  eq(require('amber.compat').level(), 'start', 'level')
  amber.setup()
  local buf = open('scenario.json5')
  eq(vim.bo[buf].filetype, 'amber', 'filetype')
  eq(#calls, 1, 'vim.lsp.start calls')
  local c, o = calls[1].config, calls[1].opts
  eq(o, { bufnr = buf }, 'opts')
  eq(c.name, 'amber', 'name')
  eq(c.cmd, { 'amber-lsp' }, 'cmd')
  eq(c.root_dir, ws, 'root_dir (no .git: the manifest\'s folder)')
  eq(vim.json.encode(c.settings), '{"amber":{}}', 'settings as JSON')
  eq(c.init_options, c.settings, 'init_options')
  expect(type(c.on_attach) == 'function' and type(c.on_init) == 'function', 'on_attach and on_init')
  -- on_attach: completion and the mappings, on this buffer only
  c.on_attach({ id = 7, name = 'amber' }, buf)
  eq(vim.bo[buf].omnifunc, 'v:lua.vim.lsp.omnifunc', 'omnifunc')
  expect(vim.fn.maparg('K', 'n') ~= '' and vim.fn.maparg('gd', 'n') ~= '', 'K and gd mapped')
  -- 0.8+ sends the settings itself: on_init must not send them again
  c.on_init({ id = 7, config = { root_dir = ws }, notify = function() error('on_init notified on 0.8+') end },
    { serverInfo = { version = 'x' } })
  open('notes.json5')
  eq(#calls, 1, 'vim.lsp.start calls after opening a JSON5 file that is no manifest')
  -- The lenses' command and the lens refreshes the client takes.
  eq(type(vim.lsp.commands['amber.showReferences']), 'function', 'vim.lsp.commands amber.showReferences')
  eq(c.capabilities.workspace.codeLens.refreshSupport, true, 'codeLens refreshSupport')
  eq(type(c.handlers['workspace/codeLens/refresh']), 'function', 'the lens refresh handler')
  -- A cloud-init YAML file joins a running server whose folder holds it; with
  -- none running, nothing starts.
  local yaml = open('user-data.yaml')
  eq(vim.bo[yaml].filetype, 'yaml', 'the YAML filetype')
  eq(#calls, 1, 'vim.lsp.start calls for a YAML file with no server running')
end)

-- trusted_folders: the server of a folder inside one gets
-- amber.overlays.preview on (at start and from before_init, on every level);
-- the others do not.
test('stub:trusted-folders', function()
  local calls = {}
  fresh({ start = function(config, opts) calls[#calls + 1] = { config = config, opts = opts }; return 7 end })
  local amber = require('amber')
  amber.setup({ trusted_folders = { ws .. '/' }, settings = { lint = { denyWarnings = true } } })
  open('scenario.json5')
  eq(#calls, 1, 'vim.lsp.start calls')
  local c = calls[1].config
  eq(c.settings, { amber = { lint = { denyWarnings = true }, overlays = { preview = true } } }, 'settings in a trusted folder')
  local params = {}
  c.before_init(params, { root_dir = ws })
  eq(params.initializationOptions, c.settings, 'before_init: initializationOptions')
  local untrusted = {}
  c.before_init(untrusted, { root_dir = '/elsewhere' })
  eq(untrusted.initializationOptions, { amber = { lint = { denyWarnings = true } } }, 'before_init elsewhere')
  eq(amber.trusted(ws .. 'x'), false, 'a folder that only starts like a trusted one')
end)

-- Neovim 0.11: vim.lsp.config + vim.lsp.enable; client methods.
test('stub:0.11-vim.lsp.config', function()
  local configs, enabled, started = {}, {}, {}
  local config = setmetatable({}, {
    __call = function(_, name, cfg) configs[#configs + 1] = { name = name, cfg = cfg } end,
  })
  local client
  client = {
    id = 3, name = 'amber', initialized = true, attached_buffers = {}, config = { root_dir = ws },
    server_capabilities = { executeCommandProvider = { commands = { 'amber.graph', 'amber.overlays.preview' } } },
    stopped = false,
    request = function(self, method, params, handler, bufnr)
      assert(self == client, 'client:request called without the client (as a closure)')
      eq(method, 'workspace/executeCommand', 'method')
      eq(params.arguments[1], vim.uri_from_bufnr(bufnr), 'the document URI argument')
      if params.command == 'amber.graph' then
        eq(params.arguments[2], { format = 'dot', applyOverlays = false }, 'graph options')
        handler(nil, 'digraph { api -> web }')
      else
        eq(#params.arguments, 1, 'preview arguments')
        handler(nil, vim.json.decode('{"version":1,"overlays":[{"ref":"#audit.apply"}]}'))
      end
      return true, 1
    end,
    stop = function(self) assert(self == client, 'client:stop called as a closure'); self.stopped = true end,
    is_stopped = function(self) assert(self == client, 'client:is_stopped called as a closure'); return self.stopped end,
  }
  fresh({
    config = config,
    enable = function(name, on) enabled[#enabled + 1] = { name, on } end,
    start = function(cfg, opts) started[#started + 1] = { cfg = cfg, opts = opts }; return 3 end,
    get_clients = function(filter)
      if filter.name ~= 'amber' then return {} end
      if filter.bufnr and not client.attached_buffers[filter.bufnr] then return {} end
      return client.stopped and {} or { client }
    end,
  })
  local amber = require('amber')
  eq(require('amber.compat').level(), 'config', 'level')
  amber.setup()
  eq(#configs, 1, 'vim.lsp.config calls')
  eq(configs[1].name, 'amber', 'config name')
  local cfg = configs[1].cfg
  eq(cfg.filetypes, { 'amber', 'yaml' }, 'filetypes (YAML: cloud-init files join a running server)')
  eq(cfg.cmd, { 'amber-lsp' }, 'cmd')
  expect(type(cfg.root_dir) == 'function', 'root_dir is a function(bufnr, on_dir)')
  eq(enabled, { { 'amber', nil } }, 'vim.lsp.enable calls')
  local buf = open('audit/overlay.json5')
  eq(vim.bo[buf].filetype, 'amber', 'filetype')
  local roots = {}
  cfg.root_dir(buf, function(r) roots[#roots + 1] = r end)
  eq(roots, { ws }, 'on_dir (no .git: the root of the running server that holds the file)')
  local scratch = vim.api.nvim_create_buf(false, true)
  cfg.root_dir(scratch, function(r) roots[#roots + 1] = r end)
  eq(#roots, 1, 'on_dir is not called for a buffer that is no file')
  local yaml = open('user-data.yaml')
  client.stopped = true
  cfg.root_dir(yaml, function(r) roots[#roots + 1] = r end)
  eq(#roots, 1, 'on_dir is not called for a YAML file without a running server')
  client.stopped = false
  cfg.root_dir(yaml, function(r) roots[#roots + 1] = r end)
  eq(roots[2], ws, 'a YAML file joins the running server whose folder holds it')
  eq(#started, 0, 'vim.lsp.start is left to vim.lsp.enable')

  buf = open('scenario.json5')
  client.attached_buffers[buf] = true
  vim.cmd('AmberGraph dot')
  local g = buffer_named('amber://graph/scenario.json5.dot')
  expect(g, 'no graph buffer')
  eq(vim.api.nvim_buf_get_lines(g, 0, -1, false), { 'digraph { api -> web }' }, 'graph text')
  eq({ vim.bo[g].modifiable, vim.bo[g].buftype, vim.bo[g].filetype }, { false, 'nofile', 'dot' }, 'graph buffer')
  vim.cmd('close')
  vim.cmd('AmberPreview')
  local p = buffer_named('amber://preview/scenario.json5')
  expect(p, 'no preview buffer')
  eq(vim.api.nvim_buf_get_lines(p, 0, 3, false), { '{', '  "overlays": [', '    {' }, 'preview text')
  eq(vim.bo[p].modifiable, false, 'preview read-only')
  vim.cmd('close')

  vim.cmd('AmberRestart')
  vim.wait(3000, function() return #started > 0 end, 20)
  expect(client.stopped, ':AmberRestart did not stop the client')
  eq(#started, 1, 'vim.lsp.start calls after :AmberRestart')
  eq({ started[1].cfg.name, started[1].cfg.root_dir, started[1].opts }, { 'amber', ws, { bufnr = buf } },
    'the restarted client')
end)

local function health_calls(stub_of)
  local calls = {}
  local function rec(kind) return function(msg) calls[#calls + 1] = kind .. ': ' .. msg end end
  fresh({ health = stub_of(rec) })
  require('amber').setup()
  require('amber.health').check()
  return calls
end

local function check_report(calls)
  eq(calls[1], 'start: amber-lsp', 'first report')
  local text = table.concat(calls, '\n')
  expect(text:find('ok: Neovim ' .. require('amber.compat').nvim_version(), 1, true), 'no Neovim version: ' .. text)
  expect(text:find('ok: server: ', 1, true) and text:find(os.getenv('AMBER_LSP_VERSION'), 1, true),
    'no server version: ' .. text)
end

test('stub:0.9-vim.health', function()
  check_report(health_calls(function(rec)
    return { start = rec('start'), ok = rec('ok'), info = rec('info'), warn = rec('warn'), error = rec('error') }
  end))
end)

test('stub:0.8-vim.health.report', function()
  check_report(health_calls(function(rec)
    return { report_start = rec('start'), report_ok = rec('ok'), report_info = rec('info'),
      report_warn = rec('warn'), report_error = rec('error') }
  end))
end)

test('stub:missing-server', function()
  local calls = {}
  fresh({ start = function(config) calls[#calls + 1] = config end })
  local notes = {}
  local notify = vim.notify
  vim.notify = function(msg) notes[#notes + 1] = msg end
  require('amber').setup({ cmd = { 'amber-lsp-not-installed' } })
  open('scenario.json5')
  open('plain.json')
  vim.notify = notify
  eq(#calls, 0, 'vim.lsp.start calls without a server')
  eq(#notes, 1, 'messages (once, not per file)')
  expect(notes[1]:find('go install', 1, true) and notes[1]:find('amber-lsp-not-installed', 1, true),
    'the message names the command and the install step: ' .. notes[1])
end)

fresh()
results:close()
vim.cmd(failed and 'cquit 1' or 'qall!')
