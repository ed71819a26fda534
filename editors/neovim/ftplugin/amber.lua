-- Amber manifests are JSON5: `//` comments, and the server formats them.
if vim.b.did_ftplugin then
  return
end
vim.b.did_ftplugin = 1
vim.bo.commentstring = '// %s'
vim.bo.comments = 's1:/*,mb:*,ex:*/,://'
vim.bo.expandtab = true
vim.bo.shiftwidth = 2
vim.b.undo_ftplugin = 'setlocal commentstring< comments< expandtab< shiftwidth<'
