-- The user configuration the tests start Neovim with: the plugin on the
-- runtimepath and setup() with no arguments, as the README tells users to.
-- Neovim's own Python provider is off: the checks edit the example's Python
-- helper, and Neovim 0.7 probes python3 for pynvim (seconds) on the first
-- Python buffer.
vim.g.loaded_python3_provider = 0
local plugin = vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p:h:h')
vim.opt.runtimepath:append(plugin)
require('amber').setup()
