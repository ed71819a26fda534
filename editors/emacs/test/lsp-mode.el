;;; lsp-mode.el --- the package with lsp-mode instead of Eglot  -*- lexical-binding: t; -*-

;; Run by editors/emacs/test.sh when lsp-mode can be loaded (installed, or
;; its folders in LSP_MODE_PATH): the registration, a session on the test
;; workspace, the settings lsp-mode answers `workspace/configuration' with,
;; and the graph command through lsp-mode.  Appends PASS/FAIL lines to $RESULTS.
;;
;;   emacs --batch -l test/lsp-mode.el     (AMBER_EMACS_DIR: the folder of amber-lsp.el)

;;; Code:

(require 'cl-lib)
(require 'json)

(dolist (dir (split-string (or (getenv "LSP_MODE_PATH") "") ":" t))
  (add-to-list 'load-path dir))
;; Quiet lsp-mode: no UI extras (batch Emacs has no mode line to show them),
;; and none of its other client definitions (loading them from source, as
;; unpacked packages are, takes seconds).
(setq lsp-client-packages nil
      lsp-session-file (expand-file-name "lsp-session" (getenv "HOME"))
      lsp-enable-snippet nil lsp-enable-file-watchers nil lsp-modeline-code-actions-enable nil
      lsp-modeline-diagnostics-enable nil lsp-modeline-workspace-status-enable nil
      lsp-headerline-breadcrumb-enable nil lsp-lens-enable nil lsp-keep-workspace-alive nil
      lsp-restart 'ignore)
(add-to-list 'load-path (getenv "AMBER_EMACS_DIR"))
(require 'amber-lsp)
(setq amber-lsp-client 'lsp-mode)
(require 'lsp-mode)

(defvar lt-ws (file-name-as-directory (getenv "WS")))
(defvar lt-timeout (/ (string-to-number (or (getenv "TIMEOUT_MS") "10000")) 1000.0))
(defvar lt-failed nil)

(defun lt-wait (pred &optional secs)
  "Wait until PRED returns non-nil (return it) or SECS pass, firing idle timers."
  (let ((deadline (+ (float-time) (or secs lt-timeout))) v)
    (while (and (not (setq v (funcall pred))) (< (float-time) deadline))
      (dolist (timer (copy-sequence timer-idle-list)) (ignore-errors (timer-event-handler timer)))
      (accept-process-output nil 0.02))
    v))

(defmacro lt-check (name &rest body)
  "Run BODY, which returns (OK . DETAIL), as the check NAME."
  (declare (indent 1))
  `(let* ((t0 (float-time))
          (r (condition-case err (progn ,@body)
               (error (cons nil (format "error: %s" (error-message-string err))))))
          (line (format "%s emacs lsp-mode-%s (%d ms) %s" (if (car r) "PASS" "FAIL") ,name
                        (round (* 1000 (- (float-time) t0)))
                        (truncate-string-to-width
                         (replace-regexp-in-string "[ \t\n]+" " " (format "%s" (or (cdr r) ""))) 240))))
     (unless (car r) (setq lt-failed t))
     (write-region (concat line "\n") nil (getenv "RESULTS") t 'silent)))

(lt-check "register"
  (let ((client (gethash 'amber-lsp lsp-clients)))
    (if (and client (equal (lsp--client-major-modes client) '(amber-json5-mode)))
        (cons t "client amber-lsp for amber-json5-mode")
      (cons nil (format "no lsp-mode client amber-lsp: %S" client)))))

(lsp-workspace-folders-add lt-ws)       ; the folder a user imports when lsp-mode asks

(lt-check "diagnostics"
  (find-file (expand-file-name "broken.json5" lt-ws))
  (run-hooks 'post-command-hook 'window-configuration-change-hook)
  (if (not (lt-wait #'lsp-workspaces))
      (cons nil (format "lsp-mode started no server for %s (major mode %s)" (buffer-name) major-mode))
    (let ((hit (lambda ()
                 (cl-some (lambda (d) (string-search "#missing" (gethash "message" d)))
                          (gethash (buffer-file-name) (lsp-diagnostics t))))))
      (if (lt-wait hit) (cons t "broken.json5: binding references unknown child `#missing`")
        (cons nil (format "no #missing diagnostic: %S" (lsp-diagnostics t)))))))

(lt-check "settings"
  (customize-set-variable 'amber-lsp-lint-deny-warnings t)
  (let* ((section (lsp-configuration-section "amber"))
         (get (lambda (&rest path)
                (let ((v section)) (dolist (k path v) (setq v (and (hash-table-p v) (gethash k v)))))))
         (got (list (funcall get "amber" "roots") (funcall get "amber" "lint" "denyWarnings")
                    (funcall get "amber" "overlays" "preview")))
         (want '([] t :json-false)))
    (if (equal got want)
        (cons t (json-serialize section :false-object :json-false))
      (cons nil (format "roots, denyWarnings, preview are %S, want %S" got want)))))

(lt-check "graph"
  (let* ((msg (condition-case err (progn (amber-lsp-graph "dot") nil) (error (error-message-string err))))
         (buf (get-buffer "*amber-lsp graph: broken.json5 (dot)*")))
    (if buf (cons t (format "%d lines" (with-current-buffer buf (count-lines (point-min) (point-max)))))
      (cons nil (or msg "no graph buffer")))))

(ignore-errors (lsp-workspace-shutdown (car (lsp-workspaces))))
(kill-emacs (if lt-failed 1 0))

;;; lsp-mode.el ends here
