;;; init.el --- the user configuration the Emacs tests start with  -*- lexical-binding: t; -*-
;; The package on the load-path and required, as the README tells users to.
;; AMBER_EMACS_DIR is the folder holding amber-lsp.el (test.sh byte-compiles a
;; copy there first).
(add-to-list 'load-path (getenv "AMBER_EMACS_DIR"))
(require 'amber-lsp)
;;; init.el ends here
