;;; amber-lsp.el --- Amber manifests with the amber-lsp language server  -*- lexical-binding: t; -*-

;; Author: The amber-lsp authors
;; Maintainer: The amber-lsp authors
;; Version: 0.1.0
;; Package-Requires: ((emacs "28.1") (eglot "1.9"))
;; Keywords: languages, tools
;; URL: https://github.com/amberlsp/amber-lsp

;; This file is not part of GNU Emacs.

;;; Commentary:

;; Editing support for the JSON5 component manifests of Amber through the
;; amber-lsp language server: diagnostics, hover, go to definition,
;; completion, quick fixes, rename and formatting, plus the overlay preview
;; and the scenario graph.
;;
;; Install the server (go install github.com/amberlsp/amber-lsp/cmd/amber-lsp@latest),
;; put this file on the `load-path' and add to your init file:
;;
;;   (require 'amber-lsp)
;;
;; Visiting an Amber manifest (a .json5 or .json file with a
;; `manifest_version' key) then turns on `amber-json5-mode' and starts the
;; server through Eglot (or lsp-mode, see `amber-lsp-client').  Other .json5
;; files open in `json5-mode'; when no JSON5 mode is installed (Emacs 28 has
;; none), this package defines a small one.
;;
;; Cloud-init YAML files that manifests name open under the running
;; server of their folder, with its diagnostics, hover and definition.
;;
;; Commands: `amber-lsp-preview' (what the scenario's overlays do; runs
;; their helper programs, so the server does it only when
;; `amber-lsp-overlays-preview' is on), `amber-lsp-graph' (the scenario
;; graph as Mermaid, DOT or JSON), `amber-lsp-code-lens' (the server's
;; code lenses of the line: "3 references" lists the places in an xref
;; buffer) and `amber-lsp-restart'.  Every server setting is in the
;; `amber-lsp' customization group.

;;; Code:

(require 'cl-lib)
(require 'eglot)
(require 'jsonrpc)
(require 'js)
(require 'json)
(require 'project)
(require 'subr-x)
(require 'xref)

(defgroup amber-lsp nil
  "Amber component manifests and the amber-lsp language server."
  :group 'languages
  :prefix "amber-lsp-"
  :link '(url-link :tag "amber-lsp" "https://github.com/amberlsp/amber-lsp"))

;;;; Options

(defcustom amber-lsp-server-command '("amber-lsp")
  "The command that starts the server: the program and its arguments.
The program is looked up on the variable `exec-path'.  When Emacs does
not see the PATH of your shell (started from a desktop launcher), give
its full path, such as (\"~/go/bin/amber-lsp\").  A host and a port,
such as (\"127.0.0.1\" 4389), connect to a server started with
`amber-lsp --listen 127.0.0.1:4389' instead (Eglot only)."
  :type '(choice (repeat :tag "Command" string)
                 (list :tag "Host and port" string integer)))

(defcustom amber-lsp-auto-start t
  "Whether visiting an Amber manifest starts the server."
  :type 'boolean)

(defcustom amber-lsp-client 'eglot
  "The LSP client that manages Amber manifests: Eglot, or lsp-mode."
  :type '(choice (const :tag "Eglot" eglot)
                 (const :tag "lsp-mode" lsp-mode)))

(defvar amber-lsp--settings)

(defun amber-lsp--set-setting (symbol value)
  "Set SYMBOL to VALUE and send the new settings to the running servers."
  (set-default symbol value)
  (when (boundp 'amber-lsp--settings)
    (amber-lsp--push-settings)))

(defcustom amber-lsp-roots nil
  "The setting `amber.roots': the root manifests of the workspace.
Paths relative to the workspace folder; absolute ones are taken as they
are.  Empty: every manifest that no other manifest names in `components'
or `use' is a root."
  :type '(repeat string)
  :safe (lambda (v) (and (listp v) (cl-every #'stringp v)))
  :set #'amber-lsp--set-setting
  :initialize #'custom-initialize-default)

(defcustom amber-lsp-lint-deny-warnings nil
  "The setting `amber.lint.denyWarnings': report every warning as an error."
  :type 'boolean
  :safe #'booleanp
  :set #'amber-lsp--set-setting
  :initialize #'custom-initialize-default)

(defcustom amber-lsp-trace-server nil
  "The setting `amber.trace.server': log each analysis with `$/logTrace'.
nil leaves it to the trace level the client asked for at start."
  :type '(choice (const :tag "As the client asked" nil)
                 (const "off") (const "messages") (const "verbose"))
  :safe (lambda (v) (member v '(nil "off" "messages" "verbose")))
  :set #'amber-lsp--set-setting
  :initialize #'custom-initialize-default)

(defcustom amber-lsp-overlays-preview nil
  "The setting `amber.overlays.preview': allow overlay previews.
A preview runs the overlay helper programs of the scenario, so turn it
on only for folders you trust, for example in their .dir-locals.el:
Emacs asks before it applies this variable from there.  The server
gets this value whatever `eglot-workspace-configuration' says: Eglot
applies that variable from any .dir-locals.el without asking."
  :type 'boolean
  :set #'amber-lsp--set-setting
  :initialize #'custom-initialize-default)

(defcustom amber-lsp-overlays-idle-timeout nil
  "The setting `amber.overlays.idleTimeout'.
How long an overlay helper no preview used keeps running: a duration
such as \"90s\", \"5m\" or \"1h30m\", or a number of seconds (0
stops each helper after its preview).  nil: the server's default, 5m."
  :type '(choice (const :tag "Server default (5m)" nil)
                 (string :tag "Duration")
                 (number :tag "Seconds"))
  :safe (lambda (v) (or (null v) (stringp v) (and (numberp v) (>= v 0))))
  :set #'amber-lsp--set-setting
  :initialize #'custom-initialize-default)

(defcustom amber-lsp-overlays-timeout nil
  "The setting `amber.overlays.timeout'.
The time allowed for each overlay helper's answer: a duration such as
\"30s\" or a number of seconds.  nil: the server's default, 30s."
  :type '(choice (const :tag "Server default (30s)" nil)
                 (string :tag "Duration")
                 (number :tag "Seconds"))
  :safe (lambda (v) (or (null v) (stringp v) (and (numberp v) (> v 0))))
  :set #'amber-lsp--set-setting
  :initialize #'custom-initialize-default)

(defcustom amber-lsp-remote-fetch nil
  "The setting `amber.remote.fetch': which remote manifests to fetch.
\"https\" fetches https:// manifest refs only (the server's default),
\"all\" also http:// ones, `:json-false' none.  nil: the server's
default.  Like `amber-lsp-overlays-preview', the server gets this value
whatever `eglot-workspace-configuration' says; from a .dir-locals.el,
Emacs applies nil, \"https\" and `:json-false' without asking."
  :type '(choice (const :tag "Server default (https)" nil)
                 (const :tag "https:// only" "https")
                 (const :tag "https:// and http://" "all")
                 (const :tag "Never" :json-false))
  :safe (lambda (v) (member v '(nil "https" :json-false)))
  :set #'amber-lsp--set-setting
  :initialize #'custom-initialize-default)

(defcustom amber-lsp-limits-instances nil
  "The setting `amber.limits.instances'.
The most component instances one link resolves; a larger tree is
reported at the ref that crosses the budget.  nil: the server's
default, 100000."
  :type '(choice (const :tag "Server default (100000)" nil)
                 (natnum :tag "Instances"))
  :safe (lambda (v) (or (null v) (natnump v)))
  :set #'amber-lsp--set-setting
  :initialize #'custom-initialize-default)

(defcustom amber-lsp-extra-settings nil
  "More settings for the `amber' section, as a plist in JSON shape.
For settings newer than this package, such as
\(:overlays (:timeout \"30s\")).  Merged over the options above."
  :type '(plist :key-type symbol :value-type sexp)
  :set #'amber-lsp--set-setting
  :initialize #'custom-initialize-default)

(defconst amber-lsp--settings
  '((amber-lsp-roots (:roots) list)
    (amber-lsp-lint-deny-warnings (:lint :denyWarnings) boolean)
    (amber-lsp-trace-server (:trace :server) optional)
    (amber-lsp-overlays-preview (:overlays :preview) boolean)
    (amber-lsp-overlays-idle-timeout (:overlays :idleTimeout) optional)
    (amber-lsp-overlays-timeout (:overlays :timeout) optional)
    (amber-lsp-remote-fetch (:remote :fetch) optional)
    (amber-lsp-limits-instances (:limits :instances) optional))
  "Each setting option, its path in the `amber' section and its kind.
A list becomes a JSON array, a boolean true or false; an optional
setting is left out when nil.")

(defun amber-lsp--plist-put-in (plist path value)
  "PLIST with VALUE at the key PATH (a list of keywords), nested plists made."
  (if (cdr path)
      (plist-put plist (car path)
                 (amber-lsp--plist-put-in (plist-get plist (car path)) (cdr path) value))
    (plist-put plist (car path) value)))

(defun amber-lsp--plist-merge (base over)
  "BASE with the keys of OVER put in, recursively for nested plists."
  (cl-loop for (k v) on over by #'cddr
           do (setq base (plist-put base k
                                    (if (and (consp v) (keywordp (car v))
                                             (consp (plist-get base k)))
                                        (amber-lsp--plist-merge (plist-get base k) v)
                                      v))))
  base)

(defun amber-lsp-settings ()
  "The `amber' settings section from the options, as a plist for JSON.
Evaluated in the buffer (or folder) the settings are for, so directory
local values of the options apply."
  (let (plist)
    (pcase-dolist (`(,var ,path ,kind) amber-lsp--settings)
      (let ((v (symbol-value var)))
        (pcase kind
          ('list (setq plist (amber-lsp--plist-put-in plist path (vconcat v))))
          ('boolean (setq plist (amber-lsp--plist-put-in plist path (if v t :json-false))))
          ('optional (when v (setq plist (amber-lsp--plist-put-in plist path v)))))))
    (amber-lsp--plist-merge plist amber-lsp-extra-settings)))

(defun amber-lsp--settings-in (dir)
  "The settings for folder DIR, its directory-local option values applied."
  (with-temp-buffer
    (setq default-directory (file-name-as-directory dir))
    (setq-local major-mode 'amber-json5-mode)
    (hack-dir-local-variables-non-file-buffer)
    (amber-lsp-settings)))

;;;; Manifests and major modes

(defconst amber-lsp--manifest-file-regexp "\\.json5?\\'"
  "File names a manifest can have.")

(defconst amber-lsp--manifest-key-regexp
  "\\(?:^[ \t]*{?\\|[{,]\\)[ \t]*[\"']?manifest_version[\"']?[ \t]*:[ \t]*[\"']"
  "A `manifest_version' key, quoted or not, with a string value.
Amber's versions are strings; a browser extension's manifest.json has a
number there and is no Amber manifest.")

(defconst amber-lsp--manifest-scan-lines 200
  "How many lines from the top the key is looked for.
Every manifest Amber writes has it first.")

(defun amber-lsp-manifest-p ()
  "Non-nil when the current buffer visits an Amber manifest.
That is a .json5 or .json file with a `manifest_version' key set to a
version string near its top (the server tells manifests apart by the key)."
  (and buffer-file-name
       (string-match-p amber-lsp--manifest-file-regexp buffer-file-name)
       (save-excursion
         (save-restriction
           (widen)
           (goto-char (point-min))
           (let ((limit (save-excursion (forward-line amber-lsp--manifest-scan-lines) (point))))
             (re-search-forward amber-lsp--manifest-key-regexp limit t))))))

(defconst amber-lsp--font-lock-keywords
  '(("\\$?\\${[^}\n]*}" 0 'font-lock-variable-name-face prepend)
    ("[\"']\\(#[[:alnum:]_-]+\\(?:\\.[[:alnum:]_-]+\\)?\\)[\"']" 1 'font-lock-constant-face prepend)
    ("[\"']\\(\\(?:slots\\|provides\\|resources\\|framework\\)\\.[[:alnum:]_.-]+\\)[\"']"
     1 'font-lock-constant-face prepend))
  "Interpolations (${config.x}) and references (#child.slot, slots.x) in strings.")

;;;###autoload
(define-derived-mode amber-lsp-json5-mode js-mode "JSON5"
  "Major mode for JSON5 files, for Emacs versions without one.
JSON5 is JavaScript's object syntax, so `js-mode' does the work.
`json5-mode' is this mode unless a JSON5 mode is installed."
  (setq-local comment-start "// ")
  (setq-local comment-end "")
  (add-hook 'after-save-hook #'amber-lsp--recheck-mode nil t))

(declare-function json5-mode "json5-mode")
(unless (fboundp 'json5-mode)
  (defalias 'json5-mode #'amber-lsp-json5-mode))

(defun amber-lsp--recheck-mode ()
  "Switch a JSON5 buffer that became a manifest to `amber-json5-mode'."
  (when (and (not (derived-mode-p 'amber-json5-mode)) (amber-lsp-manifest-p))
    (amber-json5-mode)))

;;;###autoload
(define-derived-mode amber-json5-mode json5-mode "Amber"
  "Major mode for Amber component manifests (JSON5).
When `amber-lsp-auto-start' is on, the amber-lsp server starts with it.

\\{amber-json5-mode-map}"
  (setq-local comment-start "// ")
  (setq-local comment-end "")
  (setq-local indent-tabs-mode nil)
  (font-lock-add-keywords nil amber-lsp--font-lock-keywords)
  (when amber-lsp-auto-start
    (amber-lsp--ensure)))

(put 'amber-json5-mode 'eglot-language-id "json5")

(defun amber-lsp--magic-manifest-p ()
  "For `magic-mode-alist': whether the buffer is an Amber manifest."
  (amber-lsp-manifest-p))

;; Manifests first (magic-mode-alist is consulted before auto-mode-alist),
;; then other JSON5 files to `json5-mode' when nothing else claims them.
(add-to-list 'magic-mode-alist '(amber-lsp--magic-manifest-p . amber-json5-mode))
(unless (assoc-default "x.json5" auto-mode-alist #'string-match)
  (add-to-list 'auto-mode-alist '("\\.json5\\'" . json5-mode)))

;;;; Workspace folders

(defun amber-lsp--running-roots ()
  "The workspace folders of the running amber-lsp servers."
  (delete-dups
   (delq nil (mapcar (lambda (s) (ignore-errors (project-root (eglot--project s))))
                     (amber-lsp--servers)))))

(defvar amber-lsp--finding-project nil
  "Non-nil while `amber-lsp--project-find' runs (it must not run inside itself).")

(defun amber-lsp--project-find (dir)
  "For `project-find-functions': a manifest without a VC project above it.
It joins the workspace of a running amber-lsp server that holds DIR, so
a child manifest opened after its parent shares the parent's server;
otherwise the manifest's own folder is its workspace (what Eglot does
with no project)."
  (when (and (derived-mode-p 'amber-json5-mode) (not amber-lsp--finding-project))
    (let* ((amber-lsp--finding-project t)
           (dir (file-name-as-directory (expand-file-name dir)))
           (best nil))
      (dolist (root (amber-lsp--running-roots))
        (let ((root (file-name-as-directory (expand-file-name root))))
          (when (and (string-prefix-p root dir) (or (null best) (> (length root) (length best))))
            (setq best root))))
      (and best (cons 'transient best)))))

;; After the VC backends: a repository's root comes first.
(add-hook 'project-find-functions #'amber-lsp--project-find 90)

;;;; Eglot

(defclass amber-lsp-server (eglot-lsp-server) ()
  :documentation "An amber-lsp server managed by Eglot.")

(defun amber-lsp--contact (_interactive &optional _project)
  "The Eglot contact for amber-lsp, from `amber-lsp-server-command'."
  (let* ((command amber-lsp-server-command)
         (program (car command)))
    (unless (integerp (cadr command))   ; a host and a port
      (when (string-prefix-p "~" program)
        (setq program (expand-file-name program)
              command (cons program (cdr command))))
      (unless (executable-find program)
        (amber-lsp--missing-server program)))
    (cons 'amber-lsp-server command)))

(defconst amber-lsp--install-command
  "go install github.com/amberlsp/amber-lsp/cmd/amber-lsp@latest"
  "The command that installs (or updates) the server.")

(defun amber-lsp--missing-server (program)
  "Signal that PROGRAM, the server, cannot be found, and how to install it."
  (user-error "[amber-lsp] `%s' was not found on `exec-path'; install it with \
`%s' and make sure $(go env GOPATH)/bin is on the PATH Emacs sees, or set \
`amber-lsp-server-command' to its full path" program amber-lsp--install-command))

(add-to-list 'eglot-server-programs
             '((amber-json5-mode :language-id "json5") . amber-lsp--contact))

(cl-defmethod eglot-initialization-options ((_server amber-lsp-server))
  "The settings at start-up: the `amber' section of the options."
  (list :amber (amber-lsp-settings)))

(defun amber-lsp--trusted-section (section options)
  "Return SECTION with two settings taken from OPTIONS.
Those are `amber.overlays.preview' and `amber.remote.fetch'.
SECTION is an `amber' settings plist; OPTIONS is the one the package
options make, where those settings are `amber-lsp-overlays-preview'
and `amber-lsp-remote-fetch', which Emacs asks about before applying
them from a .dir-locals.el.  A value from anywhere else never turns
previews on or fetches more than the server's default."
  (let ((out (amber-lsp--plist-put-in (copy-tree section) '(:overlays :preview)
                                      (plist-get (plist-get options :overlays) :preview)))
        (fetch (plist-get (plist-get options :remote) :fetch)))
    (if (or fetch (plist-member (plist-get out :remote) :fetch))
        ;; nil is sent as null: the server's default.
        (amber-lsp--plist-put-in out '(:remote :fetch) fetch)
      out)))

(cl-defmethod eglot-handle-request ((server amber-lsp-server)
                                    (_method (eql workspace/configuration))
                                    &rest params)
  "Answer `workspace/configuration' for SERVER with PARAMS.
The `amber' section comes from `eglot-workspace-configuration' when it
has one (directory-local, say), else from the options; overlay previews
only ever from `amber-lsp-overlays-preview'."
  (let ((answers (cl-call-next-method))
        (items (plist-get params :items))
        (options nil))
    (apply #'vector
           (cl-loop for answer across answers
                    for item across items
                    collect (if (equal (plist-get item :section) "amber")
                                (progn
                                  (setq options (or options (amber-lsp--settings-in
                                                             (project-root (eglot--project server)))))
                                  (amber-lsp--trusted-section (or answer options) options))
                              answer)))))

(defun amber-lsp--servers ()
  "The running Eglot servers of amber-lsp."
  (let (servers)
    (dolist (buf (buffer-list))
      (with-current-buffer buf
        (when-let ((s (and (bound-and-true-p eglot--managed-mode) (eglot-current-server))))
          (when (and (cl-typep s 'amber-lsp-server) (jsonrpc-running-p s))
            (cl-pushnew s servers)))))
    servers))

(defun amber-lsp--push-settings ()
  "Send the settings to every running server (an option changed)."
  (dolist (s (amber-lsp--servers))
    (jsonrpc-notify s :workspace/didChangeConfiguration
                    (list :settings
                          (list :amber (amber-lsp--settings-in (project-root (eglot--project s)))))))
  (when (fboundp 'lsp--set-configuration)
    (lsp--set-configuration (lsp-configuration-section "amber"))))

;;;; Cloud-init files

(defconst amber-lsp--sidecar-file-regexp "\\.ya?ml\\'"
  "File names of the cloud-init files manifests name as `{ file: ... }'.")

(defun amber-lsp--server-for-file (file)
  "Return the running amber-lsp server for FILE, or nil.
That is the server whose workspace folder holds FILE (the deepest one)."
  (let ((file (expand-file-name file)) best best-root)
    (dolist (s (amber-lsp--servers))
      (let ((root (file-name-as-directory (expand-file-name (project-root (eglot--project s))))))
        (when (and (string-prefix-p root file)
                   (or (null best-root) (> (length root) (length best-root))))
          (setq best s best-root root))))
    best))

(defun amber-lsp--adopt-sidecar ()
  "Let the running server of its folder manage a YAML buffer.
A VM's cloud-init data written as `{ file: \"user-data.yaml\" }' is
checked by the server, which must be sent the file: whatever the major
mode (`yaml-mode', or `fundamental-mode' where none is installed), the
buffer is managed by the amber-lsp server running for a folder holding
it (Eglot then turns its managed mode on, as for a manifest)."
  (when (and buffer-file-name
             (string-match-p amber-lsp--sidecar-file-regexp buffer-file-name)
             (not (bound-and-true-p eglot--managed-mode))
             (boundp 'eglot--cached-server)
             (null eglot--cached-server))
    (when-let ((server (amber-lsp--server-for-file buffer-file-name)))
      (setq eglot--cached-server server))))

;; Before Eglot's own hook function (depth 0), which starts managing a buffer
;; whose server it finds.
(add-hook 'find-file-hook #'amber-lsp--adopt-sidecar -10)
(add-hook 'after-change-major-mode-hook #'amber-lsp--adopt-sidecar -10)

;;;; lsp-mode

(defvar lsp-language-id-configuration)
(declare-function lsp-register-client "ext:lsp-mode")
(declare-function lsp-register-custom-settings "ext:lsp-mode")
(declare-function make-lsp-client "ext:lsp-mode")
(declare-function lsp-stdio-connection "ext:lsp-mode")
(declare-function lsp-deferred "ext:lsp-mode")
(declare-function lsp-workspaces "ext:lsp-mode")
(declare-function lsp-request "ext:lsp-mode")
(declare-function lsp-workspace-restart "ext:lsp-mode")
(declare-function lsp--buffer-uri "ext:lsp-mode")
(declare-function lsp-configuration-section "ext:lsp-mode")
(declare-function lsp--set-configuration "ext:lsp-mode")

(defun amber-lsp--lsp-mode-settings ()
  "The options as lsp-mode custom settings: (\"amber.x.y\" VALUE BOOLEAN?).
lsp-mode answers `workspace/configuration' from them."
  (cl-loop for (var path kind) in amber-lsp--settings
           collect (list (mapconcat (lambda (k) (substring (symbol-name k) 1))
                                    (cons :amber path) ".")
                         (if (eq kind 'list)
                             (lambda () (vconcat (symbol-value var)))
                           var)
                         (eq kind 'boolean))))

(defun amber-lsp--register-lsp-mode ()
  "Tell lsp-mode about amber-lsp."
  (add-to-list 'lsp-language-id-configuration '(amber-json5-mode . "json5"))
  (lsp-register-custom-settings (amber-lsp--lsp-mode-settings))
  (lsp-register-client
   (make-lsp-client
    :new-connection (lsp-stdio-connection (lambda () amber-lsp-server-command))
    :major-modes '(amber-json5-mode)
    :server-id 'amber-lsp
    :priority 1
    :action-handlers (let ((h (make-hash-table :test #'equal)))
                       (puthash "amber.showReferences" #'amber-lsp--show-references h)
                       h)
    :initialization-options (lambda () (list :amber (amber-lsp-settings))))))

(with-eval-after-load 'lsp-mode
  (amber-lsp--register-lsp-mode))

;;;; Starting

(defun amber-lsp--ensure ()
  "Start the server for the current buffer with `amber-lsp-client'."
  (pcase amber-lsp-client
    ('lsp-mode (if (require 'lsp-mode nil t)
                   (lsp-deferred)
                 (message "[amber-lsp] lsp-mode is not installed; set `amber-lsp-client' to `eglot'")))
    (_ (eglot-ensure))))

(defun amber-lsp--lsp-mode-p ()
  "Whether lsp-mode manages the current buffer."
  (and (bound-and-true-p lsp-mode) (fboundp 'lsp-workspaces) (lsp-workspaces)))

(defun amber-lsp--server ()
  "The Eglot server of the current buffer, or an error saying why there is none."
  (or (and (bound-and-true-p eglot--managed-mode) (eglot-current-server))
      (user-error (if (derived-mode-p 'amber-json5-mode)
                      "[amber-lsp] no server manages this buffer; start one with M-x eglot"
                    "[amber-lsp] this buffer is not an Amber manifest (amber-json5-mode)"))))

;;;; Commands

(defun amber-lsp--uri ()
  "The URI of the current buffer's file, as the client sends it."
  (if (amber-lsp--lsp-mode-p)
      (lsp--buffer-uri)
    (if (fboundp 'eglot-path-to-uri)    ; Eglot 1.16+
        (eglot-path-to-uri buffer-file-name)
      (eglot--path-to-uri buffer-file-name))))

(defun amber-lsp--offers-p (server command)
  "Whether SERVER lists COMMAND among its `executeCommandProvider' commands."
  (let ((provider (plist-get (eglot--capabilities server) :executeCommandProvider)))
    (seq-contains-p (plist-get provider :commands) command)))

(defun amber-lsp--execute (command arguments)
  "Run COMMAND with ARGUMENTS on the current buffer's server; its answer."
  (if (amber-lsp--lsp-mode-p)
      (condition-case err
          (lsp-request "workspace/executeCommand" (list :command command :arguments arguments))
        (error (user-error "[amber-lsp] %s failed: %s" command (error-message-string err))))
    (let ((server (amber-lsp--server)))
      (unless (amber-lsp--offers-p server command)
        (user-error "[amber-lsp] this server does not offer the command %s; update it \
with `%s'" command amber-lsp--install-command))
      (condition-case err
          (eglot-execute-command server command arguments)
        (jsonrpc-error
         (user-error "[amber-lsp] %s failed: %s" command
                     (or (alist-get 'jsonrpc-error-message (cddr err)) (cadr err))))))))

(defun amber-lsp--json-text (value &optional indent)
  "VALUE, as JSON-RPC decodes it, as indented JSON text at INDENT.
Objects are plists (Eglot) or hash tables (lsp-mode), arrays vectors,
false `:json-false'; nil is null (with Eglot an empty object decodes to
nil as well)."
  (let ((indent (or indent "")) (inner (concat (or indent "") "  ")))
    (cond
     ((null value) "null")
     ((eq value t) "true")
     ((eq value :json-false) "false")
     ((stringp value) (json-encode-string value))
     ((numberp value) (number-to-string value))
     ((vectorp value)
      (if (zerop (length value)) "[]"
        (concat "[\n"
                (mapconcat (lambda (v) (concat inner (amber-lsp--json-text v inner))) value ",\n")
                "\n" indent "]")))
     ((or (hash-table-p value) (and (consp value) (keywordp (car value))))
      (let ((pairs (if (hash-table-p value)
                       (let (l) (maphash (lambda (k v) (push (cons k v) l)) value) (nreverse l))
                     (cl-loop for (k v) on value by #'cddr collect (cons k v)))))
        (if (null pairs) "{}"
          (concat "{\n"
                  (mapconcat (lambda (kv)
                               (concat inner
                                       (json-encode-string (string-remove-prefix ":" (format "%s" (car kv))))
                                       ": " (amber-lsp--json-text (cdr kv) inner)))
                             pairs ",\n")
                  "\n" indent "}"))))
     (t (json-encode-string (format "%S" value))))))

(defun amber-lsp--show (name text mode)
  "Show TEXT in a read-only buffer called NAME in MODE (if defined); return it."
  (let ((buf (get-buffer-create name)))
    (with-current-buffer buf
      (let ((inhibit-read-only t))
        (erase-buffer)
        (insert text)
        (goto-char (point-min))
        (if (fboundp mode) (funcall mode) (fundamental-mode))
        (setq buffer-read-only t)
        (set-buffer-modified-p nil)
        (view-mode 1)))
    (display-buffer buf)
    buf))

;;;###autoload
(defun amber-lsp-preview ()
  "Show what the overlays of the current scenario do to it.
The server runs the scenario's overlay helper programs for this, and
does so only when `amber-lsp-overlays-preview' is on (trusted folders
only)."
  (interactive)
  (let* ((file (file-name-nondirectory (or buffer-file-name (buffer-name))))
         (result (amber-lsp--execute "amber.overlays.preview" (vector (amber-lsp--uri)))))
    (amber-lsp--show (format "*amber-lsp preview: %s*" file)
                     (if (stringp result) result (amber-lsp--json-text result))
                     (if (fboundp 'js-json-mode) 'js-json-mode 'js-mode))))

(defconst amber-lsp-graph-formats
  '(("mermaid" . mermaid-mode) ("dot" . graphviz-dot-mode) ("json" . js-mode))
  "The formats of `amber-lsp-graph' and the mode each is shown in.
The first is the default.")

;;;###autoload
(defun amber-lsp-graph (format &optional apply-overlays)
  "Show the scenario graph of the current manifest as FORMAT text.
FORMAT is \"mermaid\", \"dot\" or \"json\".  With a prefix argument
\(APPLY-OVERLAYS), the graph after the overlays ran (see
`amber-lsp-overlays-preview')."
  (interactive
   (list (completing-read "Graph format: " amber-lsp-graph-formats nil t nil nil
                          (caar amber-lsp-graph-formats))
         current-prefix-arg))
  (unless (assoc format amber-lsp-graph-formats)
    (user-error "[amber-lsp] unknown graph format %S; use one of %s" format
                (mapconcat #'car amber-lsp-graph-formats ", ")))
  (let* ((file (file-name-nondirectory (or buffer-file-name (buffer-name))))
         (result (amber-lsp--execute
                  "amber.graph"
                  (vector (amber-lsp--uri)
                          (list :format format :applyOverlays (if apply-overlays t :json-false))))))
    (amber-lsp--show (format "*amber-lsp graph: %s (%s)*" file format)
                     (if (stringp result) result (amber-lsp--json-text result))
                     (cdr (assoc format amber-lsp-graph-formats)))))

;;;; Code lenses

(defun amber-lsp--get (object key)
  "KEY (a keyword) of OBJECT, a JSON object as Eglot or lsp-mode decodes it."
  (if (hash-table-p object)
      (gethash (substring (symbol-name key) 1) object)
    (plist-get object key)))

(defun amber-lsp--xrefs (locations)
  "LOCATIONS, LSP `Location' objects, as xref items with their lines' text."
  (let ((texts (make-hash-table :test #'equal)))
    (cl-loop
     for loc in (append locations nil)
     for file = (if (fboundp 'eglot-uri-to-path) ; Eglot 1.16+
                    (eglot-uri-to-path (amber-lsp--get loc :uri))
                  (eglot--uri-to-path (amber-lsp--get loc :uri)))
     for start = (amber-lsp--get (amber-lsp--get loc :range) :start)
     for line = (amber-lsp--get start :line)
     for lines = (or (gethash file texts)
                     (puthash file
                              (let ((buf (find-buffer-visiting file)))
                                (split-string (if buf
                                                  (with-current-buffer buf
                                                    (save-restriction
                                                      (widen)
                                                      (buffer-substring-no-properties (point-min) (point-max))))
                                                (with-temp-buffer
                                                  (ignore-errors (insert-file-contents file))
                                                  (buffer-string)))
                                              "\n"))
                              texts))
     collect (xref-make (string-trim (or (nth line lines) ""))
                        (xref-make-file-location file (1+ line) (amber-lsp--get start :character))))))

(defun amber-lsp--show-references (command &rest _)
  "Show the places of COMMAND, the server's `amber.showReferences', with xref.
Its arguments are those of VS Code's `editor.action.showReferences':
the document, the position and the locations.  The server puts it in
the \"N references\" code lenses and does not execute it."
  (let* ((args (append (amber-lsp--get command :arguments) nil))
         (xrefs (amber-lsp--xrefs (nth 2 args))))
    (if (null xrefs)
        (message "[amber-lsp] no references")
      (xref-push-marker-stack)
      (funcall xref-show-xrefs-function (lambda () xrefs)
               `((window . ,(selected-window)))))))

(defun amber-lsp--lenses ()
  "The server's code lenses of the current buffer."
  (append
   (if (amber-lsp--lsp-mode-p)
       (lsp-request "textDocument/codeLens" (list :textDocument (list :uri (lsp--buffer-uri))))
     (jsonrpc-request (amber-lsp--server) :textDocument/codeLens
                      (list :textDocument (list :uri (amber-lsp--uri)))))
   nil))

;;;###autoload
(defun amber-lsp-code-lens ()
  "Run one of the server's code lenses of the current line.
\"N references\" and \"instantiated by N parents\" list the places in an
xref buffer; an overlay preview's lens (\"2 interposers on 2 http
edges\") runs the preview again.  With several lenses on the line, you
pick one."
  (interactive)
  (let* ((line (1- (line-number-at-pos)))
         (here (cl-remove-if-not
                (lambda (lens)
                  (eql line (amber-lsp--get (amber-lsp--get (amber-lsp--get lens :range) :start) :line)))
                (amber-lsp--lenses)))
         (titles (mapcar (lambda (lens) (cons (amber-lsp--get (amber-lsp--get lens :command) :title) lens))
                         here)))
    (unless titles
      (user-error "[amber-lsp] no code lens on this line"))
    (let* ((pick (if (cdr titles)
                     (completing-read "Code lens: " titles nil t)
                   (caar titles)))
           (command (amber-lsp--get (cdr (assoc pick titles)) :command)))
      (if (equal (amber-lsp--get command :command) "amber.showReferences")
          (amber-lsp--show-references command)
        (amber-lsp--execute (amber-lsp--get command :command)
                            (amber-lsp--get command :arguments))
        (message "[amber-lsp] %s" pick)))))

;;;###autoload
(defun amber-lsp-restart ()
  "Restart the amber-lsp server of the current buffer.
Start one when none is running."
  (interactive)
  (cond ((amber-lsp--lsp-mode-p) (call-interactively #'lsp-workspace-restart))
        ((and (bound-and-true-p eglot--managed-mode) (eglot-current-server))
         (eglot-reconnect (eglot-current-server)))
        (t (amber-lsp--ensure))))

(provide 'amber-lsp)
;;; amber-lsp.el ends here
