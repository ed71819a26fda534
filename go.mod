module github.com/amberlsp/amber-lsp

go 1.26.8
