-- The user configuration the tests start Neovim with: the plugin on the
-- runtimepath and setup() with no arguments, as the README tells users to.
local plugin = vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p:h:h')
vim.opt.runtimepath:append(plugin)
require('amber').setup()
