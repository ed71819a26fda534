;;; checks.el --- the Emacs checks of editors/testdata/plan.json  -*- lexical-binding: t; -*-

;; Run headless by editors/emacs/test.sh after test/init.el (the package as
;; a user installs it):
;;
;;   emacs --batch -l test/init.el -l test/checks.el
;;
;; Each check does what a user does (visits the file, reads Flymake and
;; Eldoc, M-., completion-at-point, the code-action menu, M-x
;; amber-lsp-preview, ...) and appends one line to $RESULTS:
;;   PASS emacs <check> (<ms> ms) <what was seen>
;;   FAIL emacs <check> (<ms> ms) <what was expected and what was seen>
;; Batch Emacs runs no `post-command-hook' and no idle timers by itself:
;; `eglot-ensure' connects from the first and Flymake and Eldoc work from the
;; second, so the checks run the hook after visiting a file and fire the
;; timers while they wait.
;; Env: WS (the workspace), PLAN, RESULTS, CHECKS (a comma list, optional),
;; TIMEOUT_MS, AMBER_LSP_VERSION.

;;; Code:

(require 'cl-lib)
(require 'json)
(require 'xref)
(require 'amber-lsp)

(defvar at-ws (file-name-as-directory (getenv "WS")))
(defvar at-timeout (/ (string-to-number (or (getenv "TIMEOUT_MS") "10000")) 1000.0))
(defvar at-only (split-string (or (getenv "CHECKS") "") "," t))
(defvar at-results (getenv "RESULTS"))
(defvar at-plan (with-temp-buffer
                  (insert-file-contents (getenv "PLAN"))
                  (json-parse-buffer :object-type 'alist :array-type 'list)))
(defvar at-failed nil)
(defvar at-messages nil "What the user was told, newest first.")

(setq eglot-send-changes-idle-time 0.05
      flymake-no-changes-timeout 0.05
      eldoc-echo-area-use-multiline-p t)
(advice-add 'message :before
            (lambda (fmt &rest args)
              (when fmt (push (apply #'format-message fmt args) at-messages))))

(defun at-log (fmt &rest args)
  "Write FMT with ARGS to stderr, the test log."
  (princ (concat (apply #'format fmt args) "\n") #'external-debugging-output))

(defun at-brief (v)
  "V on one line, cut at 240 characters."
  (let ((s (replace-regexp-in-string "[ \t\n]+" " " (if (stringp v) v (format "%S" v)))))
    (if (> (length s) 240) (concat (substring s 0 237) "...") s)))

(defun at-fire-timers ()
  "Run the idle timers, as an idle interactive Emacs would."
  (dolist (timer (copy-sequence timer-idle-list))
    (ignore-errors (timer-event-handler timer))))

(defun at-wait (pred &optional secs)
  "Wait until PRED returns non-nil (return it) or SECS (default the timeout) pass."
  (let ((deadline (+ (float-time) (or secs at-timeout))) v)
    (while (and (not (setq v (funcall pred))) (< (float-time) deadline))
      (at-fire-timers)
      ;; Not `accept-process-output': file notifications (Eglot's watchers of
      ;; workspace/didChangeWatchedFiles) are input events, handled only
      ;; while Emacs reads input; this reads it, and the server's output too.
      (read-event nil nil 0.02))
    v))

(defun at-path (file) "FILE in the workspace." (expand-file-name file at-ws))

(defun at-server ()
  "The Eglot server of the current buffer, once it manages the buffer."
  (and (bound-and-true-p eglot--managed-mode) (eglot-current-server)))

(defun at-open (file)
  "Visit FILE as a user would; the buffer, with its server started if it gets one."
  (find-file (at-path file))
  (run-hooks 'post-command-hook)        ; `eglot-ensure' connects from here
  (current-buffer))

(defun at-managed (file)
  "Visit FILE and wait for its server; the server, or nil."
  (at-open file)
  (at-wait #'at-server))

(defun at-no-server ()
  "Why the current buffer has no server."
  (format "no amber-lsp server manages %s (major mode %s); said: %s"
          (file-name-nondirectory (buffer-file-name)) major-mode (at-brief (seq-take at-messages 3))))

(defun at-goto (at)
  "Move to where AT has its |, on the first line that holds AT; return (LINE . COL), 1-based."
  (let* ((bar (string-search "|" at))
         (needle (concat (substring at 0 bar) (substring at (1+ bar)))))
    (goto-char (point-min))
    (unless (search-forward needle nil t)
      (error "No line holds %s" needle))
    (goto-char (+ (match-beginning 0) bar))
    (cons (line-number-at-pos) (1+ (current-column)))))

(defun at-text (&optional file)
  "The text of FILE (default: the current buffer) as the editor has it."
  (let ((buf (if file (find-buffer-visiting (at-path file)) (current-buffer))))
    (if buf
        (with-current-buffer buf (buffer-substring-no-properties (point-min) (point-max)))
      (with-temp-buffer (insert-file-contents (at-path file)) (buffer-string)))))

(defun at-revert-all ()
  "Throw away every unsaved change, so the next check starts from the files on disk."
  (dolist (buf (buffer-list))
    (with-current-buffer buf
      (when (and buffer-file-name (buffer-modified-p))
        (revert-buffer t t t)))))

(defun at-diagnostics (&optional whole)
  "The Flymake diagnostics of the current buffer as \"LINE:COL message\".
The first line of each message, or all of it when WHOLE."
  (when (bound-and-true-p flymake-mode) (flymake-start))
  (mapcar (lambda (d)
            (save-excursion
              (goto-char (flymake-diagnostic-beg d))
              (format "%d:%d %s" (line-number-at-pos) (1+ (current-column))
                      (if whole (flymake-diagnostic-text d)
                        (car (split-string (flymake-diagnostic-text d) "\n"))))))
          (flymake-diagnostics)))

(defun at-scratch (name matches)
  "The buffer called NAME once it holds each of MATCHES, or nil."
  (at-wait (lambda ()
             (let ((buf (get-buffer name)))
               (and buf
                    (with-current-buffer buf
                      (cl-every (lambda (m) (string-search m (buffer-string))) matches))
                    buf)))
           1))

(defun at-command (fn &rest args)
  "Call FN with ARGS as a command; the error it shows the user, or nil."
  (condition-case err
      (progn (apply fn args) nil)
    (error (error-message-string err))))

(defvar at-checks nil "The checks in order: (NAME . FUNCTION).")

(defmacro at-check (name args &rest body)
  "Define the check NAME, a function of ARGS returning (OK . DETAIL), with BODY."
  (declare (indent 2))
  `(setq at-checks (append at-checks (list (cons ,(symbol-name name) (lambda ,args ,@body))))))

(defun at-get (p key) "KEY of the plan entry P." (alist-get key p))

(at-check detect (p)
  (catch 'done
    (let (seen)
      (dolist (f (at-get p 'manifests))
        (at-open f)
        (unless (eq major-mode 'amber-json5-mode)
          (throw 'done (cons nil (format "%s opened in %s, not amber-json5-mode" f major-mode))))
        (unless (at-wait #'at-server) (throw 'done (cons nil (at-no-server))))
        (push (format "%s: %s" f major-mode) seen))
      (dolist (f (at-get p 'others))
        (at-open f)
        (at-wait #'ignore 0.3)
        (when (or (derived-mode-p 'amber-json5-mode) (at-server))
          (throw 'done (cons nil (format "%s is no manifest but opened in %s with %s" f major-mode (at-server)))))
        (push (format "%s: %s" f major-mode) seen))
      ;; No VC repository: the manifests share one server, rooted at the folder of the first.
      (let ((roots (mapcar (lambda (s) (project-root (eglot--project s))) (amber-lsp--servers))))
        (unless (equal roots (list at-ws))
          (throw 'done (cons nil (format "want one server rooted at %s, got %S" at-ws roots))))
        (push (format "one server, root %s" (file-name-nondirectory (directory-file-name (car roots)))) seen))
      (cons t (nreverse seen)))))

(at-check manifest_key (p)
  (let ((wrong nil))
    (dolist (c (at-get p 'cases))
      (with-temp-buffer
        (insert (mapconcat #'identity (car c) "\n"))
        (setq buffer-file-name (at-path "case.json5"))
        (unless (eq (and (amber-lsp-manifest-p) t) (eq (cadr c) t))
          (push (car c) wrong))
        (setq buffer-file-name nil)))
    (if wrong (cons nil (format "told wrongly: %S" wrong))
      (cons t (format "%d cases" (length (at-get p 'cases)))))))

(at-check highlight (p)
  (at-open (at-get p 'file))
  (font-lock-ensure)
  (catch 'done
    (let (seen)
      (pcase-dolist (`(,kind . ,face) '((interpolation . font-lock-variable-name-face)
                                         (reference . font-lock-constant-face)))
        (at-goto (at-get p kind))
        (let ((faces (ensure-list (get-text-property (point) 'face))))
          (push (format "%s: %S" kind faces) seen)
          (unless (memq face faces)
            (throw 'done (cons nil (format "the %s at %d:%d has faces %S, not %s" kind
                                           (line-number-at-pos) (1+ (current-column)) faces face))))))
      (cons t (nreverse seen)))))

(at-check diagnostics (p)
  (if (not (at-managed (at-get p 'file))) (cons nil (at-no-server))
    (let* ((pos (at-goto (at-get p 'at)))
           (want (format "%d:%d " (car pos) (cdr pos)))
           (hit (lambda () (cl-find-if (lambda (d) (and (string-prefix-p want d)
                                                        (string-search (at-get p 'match) d)))
                                       (at-diagnostics)))))
      (if (at-wait hit) (cons t (at-diagnostics))
        (cons nil (format "no diagnostic at %s with %S; got %S" want (at-get p 'match) (at-diagnostics)))))))

(at-check hover (p)
  (if (not (at-managed (at-get p 'file))) (cons nil (at-no-server))
    (at-goto (at-get p 'at))
    (let (doc)
      ;; What Eldoc asks when point rests here; it shows the answer in the echo area.
      (eglot-hover-eldoc-function (lambda (info &rest _) (setq doc (or info ""))))
      (at-wait (lambda () doc))
      (setq doc (and doc (substring-no-properties doc)))
      (if (and doc (string-search (at-get p 'match) doc)) (cons t doc)
        (cons nil (format "the hover lacks %s: %S" (at-get p 'match) doc))))))

(at-check highlights (p)
  ;; Point resting on `#api': Eldoc's call asks for the hover and, piggybacked,
  ;; the document highlights, which Eglot shows as overlays.
  (if (not (at-managed (at-get p 'file))) (cons nil (at-no-server))
    (at-goto (at-get p 'reference))
    (let ((shown (lambda ()
                   (sort (mapcar (lambda (o) (format "%d:%d" (line-number-at-pos (overlay-start o))
                                                     (save-excursion (goto-char (overlay-start o)) (1+ (current-column)))))
                                 (cl-remove-if-not (lambda (o) (eq (overlay-get o 'face) 'eglot-highlight-symbol-face))
                                                   (overlays-in (point-min) (point-max))))
                         #'string<))))
      (eglot-hover-eldoc-function #'ignore)
      (at-wait (lambda () (>= (length (funcall shown)) 2)))
      (let ((got (funcall shown)))
        (if (>= (length got) 2) (cons t got)
          (cons nil (format "highlights at %S; window %S" got (get-buffer-window))))))))

(at-check definition (p)
  (if (not (at-managed (at-get p 'file))) (cons nil (at-no-server))
    (at-goto (at-get p 'at))
    (let ((msg (at-command #'call-interactively #'xref-find-definitions))
          (where (format "%s:%d:%d" (file-name-nondirectory (buffer-file-name))
                         (line-number-at-pos) (1+ (current-column)))))
      (if (string-suffix-p (concat "/" (at-get p 'target)) (buffer-file-name)) (cons t where)
        (cons nil (format "still at %s; %s" where (or msg "no message")))))))

(at-check completion (p)
  (if (not (at-managed (at-get p 'file))) (cons nil (at-no-server))
    (let ((replace (at-get p 'replace)) (with (at-get p 'with)) (label (at-get p 'label)))
      (goto-char (point-min))
      (if (not (search-forward replace nil t)) (cons nil (format "no line holds %s" replace))
        (replace-match with t t)
        ;; What M-x completion-at-point (C-M-i) asks: the first function that answers.
        (let* ((res (run-hook-with-args-until-success 'completion-at-point-functions))
               (prefix (and res (buffer-substring-no-properties (nth 0 res) (nth 1 res))))
               (cands (and res (mapcar #'substring-no-properties (all-completions prefix (nth 2 res))))))
          (at-revert-all)
          (if (cl-some (lambda (c) (or (equal c label) (equal c (concat with label)))) cands)
              (cons t cands)
            (cons nil (format "no %S among %S" label cands))))))))

(at-check code_action (p)
  (if (not (at-managed (at-get p 'file))) (cons nil (at-no-server))
    (at-wait #'at-diagnostics)
    (let* ((line (car (at-goto (at-get p 'at))))
           (title (at-get p 'title))
           (menu nil)
           ;; The menu: a keyboard user (last-nonmenu-event a key, not a mouse
           ;; click) gets `completing-read'; pick the entry with the title.
           (msg (let ((last-nonmenu-event ?\r))
                  (cl-letf (((symbol-function 'completing-read)
                             (lambda (_prompt coll &rest _)
                               (setq menu (all-completions "" coll))
                               (or (cl-find-if (lambda (x) (string-search title x)) menu) (car menu))))
                            ((symbol-function 'y-or-n-p) #'always))
                    (at-command #'call-interactively #'eglot-code-actions))))
           (now (lambda () (save-excursion (goto-char (point-min)) (forward-line (1- line))
                                           (buffer-substring-no-properties (line-beginning-position) (line-end-position)))))
           (ok (at-wait (lambda () (string-search (at-get p 'expect) (funcall now)))))
           (seen (string-trim (funcall now))))
      (at-revert-all)
      (if ok (cons t (list :menu menu :line seen))
        (cons nil (format "line %d reads %S; menu %S; %s" line seen menu (or msg "no message")))))))

(at-check rename (p)
  (if (not (at-managed (at-get p 'file))) (cons nil (at-no-server))
    (at-goto (at-get p 'at))
    (let* ((msg (cl-letf (((symbol-function 'y-or-n-p) #'always))
                  (at-command #'eglot-rename (at-get p 'new_name))))
           (done (lambda ()
                   (and (cl-every (lambda (fe) (cl-every (lambda (w) (string-search w (at-text (symbol-name (car fe)))))
                                                         (cdr fe)))
                                  (at-get p 'expect))
                        (cl-notany (lambda (fg) (string-search (cdr fg) (at-text (symbol-name (car fg)))))
                                   (at-get p 'gone)))))
           (ok (at-wait done (if msg 0.5 at-timeout))))
      (at-revert-all)
      (if ok (cons t (format "renamed in %s" (mapconcat (lambda (fe) (symbol-name (car fe))) (at-get p 'expect) ", ")))
        (cons nil (format "not renamed; %s" (or msg "no message")))))))

(at-check format (p)
  (if (not (at-managed (at-get p 'file))) (cons nil (at-no-server))
    (let* ((before (at-text))
           (msg (at-command #'eglot-format-buffer))
           (ok (at-wait (lambda () (not (equal before (at-text)))) (if msg 0.5 at-timeout)))
           (after (at-text))
           (lost (cl-remove-if (lambda (k) (string-search k after)) (at-get p 'keep))))
      (at-revert-all)
      (cond ((not ok) (cons nil (format "text unchanged; %s" (or msg "no message"))))
            (lost (cons nil (format "the formatted text lost %S" lost)))
            (t (cons t (format "%d -> %d lines" (1+ (cl-count ?\n before)) (1+ (cl-count ?\n after)))))))))

;; The server process of SERVER and the processes below it (overlay helpers
;; and their keeper), from /proc.
(defun at-children-table ()
  "A hash table from each process id to the ids of its children."
  (let ((table (make-hash-table)))
    (dolist (stat (file-expand-wildcards "/proc/[0-9]*/stat"))
      (let ((line (with-temp-buffer (ignore-errors (insert-file-contents stat)) (buffer-string))))
        (when (string-match "\\`\\([0-9]+\\) (.*) [^ ]+ \\([0-9]+\\)" line)
          (push (string-to-number (match-string 1 line))
                (gethash (string-to-number (match-string 2 line)) table)))))
    table))

(defun at-descendants (pid)
  "The command lines of the processes below PID."
  (let ((table (at-children-table)) (queue (list pid)) out)
    (while queue
      (dolist (c (gethash (pop queue) table))
        (push (with-temp-buffer
                (ignore-errors (insert-file-contents (format "/proc/%d/cmdline" c)))
                (subst-char-in-string ?\0 ?\s (buffer-string)))
              out)
        (push c queue)))
    out))

(defun at-server-pid (server)
  "The process id of SERVER's program."
  (process-id (jsonrpc--process server)))

(defun at-lens-titles (line)
  "The titles of the server's code lenses of LINE (1-based) of the current buffer."
  (delq nil (mapcar (lambda (lens)
                      (when (eql (1- line) (plist-get (plist-get (plist-get lens :range) :start) :line))
                        (plist-get (plist-get lens :command) :title)))
                    (ignore-errors (amber-lsp--lenses)))))

(defun at-has-lens (line title)
  "The lens of LINE whose title holds TITLE, or nil."
  (cl-find-if (lambda (x) (string-search title x)) (at-lens-titles line)))

(defun at-touch-and-save ()
  "Save the current buffer as `C-x C-s' would after an edit."
  (set-buffer-modified-p t)
  (save-buffer))

(at-check lens (p)
  ;; `amber-lsp-code-lens' on the line of a slot: "N references" lists the
  ;; places in an xref buffer.
  (if (not (at-managed (at-get p 'file))) (cons nil (at-no-server))
    (let* ((line (car (at-goto (at-get p 'at))))
           (title (at-wait (lambda () (at-has-lens line (at-get p 'title))))))
      (if (not title) (cons nil (format "no lens %S on line %d: %S" (at-get p 'title) line (at-lens-titles line)))
        (when (get-buffer "*xref*") (kill-buffer "*xref*"))
        (let* ((msg (cl-letf (((symbol-function 'completing-read)
                               (lambda (_prompt coll &rest _)
                                 (cl-find-if (lambda (x) (string-search (at-get p 'title) x))
                                             (all-completions "" coll)))))
                      (at-command #'amber-lsp-code-lens)))
               (xref (at-wait (lambda () (get-buffer "*xref*")) 2))
               (text (and xref (with-current-buffer xref (buffer-substring-no-properties (point-min) (point-max)))))
               (lacking (cl-remove-if (lambda (f) (and text (string-search f text))) (at-get p 'places))))
          (cond ((not xref) (cons nil (format "no *xref* buffer after %s; %s" title (or msg "no message"))))
                (lacking (cons nil (format "the *xref* buffer lacks %S: %S" lacking text)))
                (t (cons t (list :lens title :xref (split-string (string-trim text) "\n"))))))))))

(at-check cloud_init (p)
  ;; The YAML file a manifest names (fundamental-mode on Emacs 28, which has
  ;; no YAML mode) is managed by the running server of its folder.
  (if (not (at-managed (at-get p 'file))) (cons nil (at-no-server))
    (let* ((pos (at-goto (at-get p 'at)))
           (want (format "%d:%d " (car pos) (cdr pos)))
           (hit (lambda (word) (cl-find-if (lambda (d) (and (string-prefix-p want d) (string-search (at-get p 'code) d)
                                                           (string-search word d)))
                                           (at-diagnostics)))))
      (if (not (at-wait (lambda () (funcall hit (at-get p 'match)))))
          (cons nil (format "no %s at %s with %S in %s; got %S" (at-get p 'code) want (at-get p 'match) major-mode (at-diagnostics)))
        ;; The buffer, not the disk: an unsaved edit is checked too.
        (goto-char (point-min))
        (search-forward (at-get p 'replace))
        (replace-match (at-get p 'with) t t)
        (let ((ok (at-wait (lambda () (funcall hit (at-get p 'with)))))
              (seen (at-diagnostics)))
          (at-revert-all)
          (if ok (cons t (list major-mode seen))
            (cons nil (format "after the edit to %s: %S" (at-get p 'with) seen))))))))

(at-check untrusted_save (p)
  ;; Previews are off (nobody turned them on for this folder): a save starts nothing.
  (let ((server (at-managed (at-get p 'file))))
    (if (not server) (cons nil (at-no-server))
      (at-touch-and-save)
      (at-wait #'ignore 1.5)
      (let ((procs (at-descendants (at-server-pid server)))
            (lens (cl-some (lambda (l) (at-has-lens l (at-get p 'lens)))
                           (number-sequence 1 (count-lines (point-min) (point-max))))))
        (if (or procs lens)
            (cons nil (format "after a save with previews off: processes %S, lens %S" procs lens))
          (cons t (format "server %d has no child process, no preview lens" (at-server-pid server))))))))

(at-check settings (_p)
  ;; Overlay previews run programs: the user turns them on (trusted folders only).
  ;; Changing the option must reach the running server; a configuration that
  ;; Eglot applies without asking must not turn them on.
  (if (not (at-managed (at-get (alist-get 'preview at-plan) 'file))) (cons nil (at-no-server))
    (let ((server (at-server)) (sent nil))
      (cl-letf* ((notify (symbol-function 'jsonrpc-notify))
                 ((symbol-function 'jsonrpc-notify)
                  (lambda (conn method params)
                    (when (eq method :workspace/didChangeConfiguration) (push params sent))
                    (funcall notify conn method params))))
        (customize-set-variable 'amber-lsp-overlays-preview t))
      (let ((answer (eglot-handle-request server 'workspace/configuration
                                          :items (vector (list :section "amber"))))
            (want '(:roots [] :lint (:denyWarnings :json-false) :overlays (:preview t)))
            (untrusted (progn
                         (customize-set-variable 'amber-lsp-overlays-preview nil)
                         (let ((eglot-workspace-configuration
                                '(:amber (:overlays (:preview t) :remote (:fetch "all")) :other (:x 1))))
                           (eglot-handle-request server 'workspace/configuration
                                                 :items (vector (list :section "amber") (list :section "other"))))))
            ;; The options of the other settings, each in its place.
            (others (progn
                      (customize-set-variable 'amber-lsp-remote-fetch :json-false)
                      (customize-set-variable 'amber-lsp-limits-instances 500)
                      (customize-set-variable 'amber-lsp-overlays-timeout "10s")
                      (prog1 (eglot-handle-request server 'workspace/configuration
                                                   :items (vector (list :section "amber")))
                        (dolist (v '(amber-lsp-remote-fetch amber-lsp-limits-instances amber-lsp-overlays-timeout))
                          (customize-set-variable v nil))))))
        (cond ((not (equal (aref answer 0) want))
               (cons nil (format "workspace/configuration answers %S, want %S" answer want)))
              ((not (equal sent (list (list :settings (list :amber want)))))
               (cons nil (format "didChangeConfiguration sent %S" sent)))
              ((not (equal untrusted [(:overlays (:preview :json-false) :remote (:fetch nil)) (:x 1)]))
               (cons nil (format "with eglot-workspace-configuration turning previews on and fetching all, the server is told %S" untrusted)))
              ((not (equal (aref others 0) '(:roots [] :lint (:denyWarnings :json-false)
                                             :overlays (:preview :json-false :timeout "10s")
                                             :remote (:fetch :json-false) :limits (:instances 500))))
               (cons nil (format "with the fetch, limit and timeout options set, the server is told %S" (aref others 0))))
              (t (cons t (list :sent (car sent) :from-eglot-workspace-configuration (aref untrusted 0)
                               :options (aref others 0)))))))))

(at-check preview (p)
  ;; The README's walk: previews on for the folder in its .dir-locals.el
  ;; (Emacs asks; the user says yes), the server restarted; save the
  ;; scenario, read the lens and the hover, run the preview, break the
  ;; helper and see the diagnostic, mend it.
  (let ((asked nil) (t0 (float-time)) (seen nil))
    (cl-flet ((step (msg) (push (format "%s (at %d ms)" msg (round (* 1000 (- (float-time) t0)))) seen)
                      (at-log "preview: %s" (car seen))))
      (with-temp-file (at-path ".dir-locals.el")
        (insert "((amber-json5-mode . ((amber-lsp-overlays-preview . t))))\n"))
      (advice-add 'hack-local-variables-confirm :override
                  (lambda (&rest args) (push args asked) t) '((name . at-trust)))
      (unwind-protect
          (catch 'done
            (at-open (at-get p 'file))
            (revert-buffer t t)           ; the buffer takes the folder's values
            (unless (and asked (eq amber-lsp-overlays-preview t))
              (throw 'done (cons nil (format "the .dir-locals.el value: %S, asked %d times"
                                             amber-lsp-overlays-preview (length asked)))))
            (step "Emacs asked about the .dir-locals.el value")
            (amber-lsp-restart)
            (unless (at-wait (lambda () (let ((s (at-server))) (and s (jsonrpc-running-p s)))))
              (throw 'done (cons nil (at-no-server))))
            ;; Save: the lens.
            (let* ((server (at-server))
                   (lens (at-get p 'lens))
                   (line (car (at-goto (at-get lens 'at)))))
              ;; `plist-member': the server offers lenses as {}, which Eglot reads as nil.
              (at-wait (lambda () (plist-member (eglot--capabilities server) :codeLensProvider)))
              (at-touch-and-save)
              (unless (at-wait (lambda () (at-has-lens line (at-get lens 'title))) 30)
                (throw 'done (cons nil (format "no lens %S after the save: %S" (at-get lens 'title) (at-lens-titles line)))))
              (step (format "lens %S" (at-has-lens line (at-get lens 'title))))
              (step (format "%d processes below the server" (length (at-descendants (at-server-pid server)))))
              ;; The hover of the overlay ref.
              (let ((hover (at-get p 'hover)) doc)
                (at-goto (at-get hover 'at))
                (eglot-hover-eldoc-function (lambda (info &rest _) (setq doc (or info ""))))
                (at-wait (lambda () doc))
                (dolist (m (at-get hover 'match))
                  (unless (and doc (string-search m doc))
                    (throw 'done (cons nil (format "the hover lacks %s: %S" m doc)))))
                (step (format "hover has %S" (at-get hover 'match))))
              ;; M-x amber-lsp-preview.
              (let* ((msg (at-command #'amber-lsp-preview))
                     (name (format "*amber-lsp preview: %s*" (file-name-nondirectory (at-get p 'file))))
                     (buf (and (not msg) (at-scratch name (at-get p 'match)))))
                (cond ((not buf) (throw 'done (cons nil (format "no %s holding %S; %s" name (at-get p 'match) (or msg "no message")))))
                      ((not (buffer-local-value 'buffer-read-only buf)) (throw 'done (cons nil "the preview buffer can be changed"))))
                (step (format "%s: %d lines, read-only" name (with-current-buffer buf (count-lines (point-min) (point-max))))))
              ;; Break the helper: edit its program and save it.
              (let* ((broken (at-get p 'broken))
                     (helper (at-open (at-get p 'helper)))
                     (good (buffer-string))
                     (scenario (find-buffer-visiting (at-path (at-get p 'file))))
                     (bline (with-current-buffer scenario (car (at-goto (at-get broken 'at)))))
                     (hit (lambda () (with-current-buffer scenario
                                       (cl-find-if (lambda (d) (and (string-prefix-p (format "%d:" bline) d)
                                                                    (string-search (at-get broken 'code) d)
                                                                    (string-search (at-get broken 'match) d)))
                                                   (at-diagnostics t))))))
                (goto-char (point-min))
                (unless (re-search-forward (concat "^" (regexp-quote (at-get p 'break_before)) "$") nil t)
                  (throw 'done (cons nil (format "%s has no line %s" (at-get p 'helper) (at-get p 'break_before)))))
                (beginning-of-line)
                (insert (at-get p 'break) "\n")
                (save-buffer)
                (let ((ok (at-wait hit 30))
                      (blens (with-current-buffer scenario (at-wait (lambda () (at-has-lens bline (at-get broken 'lens))) 5)))
                      (ds (with-current-buffer scenario (at-diagnostics))))
                  ;; Mend it.
                  (with-current-buffer helper
                    (erase-buffer)
                    (insert good)
                    (save-buffer))
                  (unless ok (throw 'done (cons nil (format "no %s on line %d after breaking the helper: %S" (at-get broken 'code) bline ds))))
                  (step (format "broken: %s on line %d" (at-get broken 'code) bline))
                  (unless blens (throw 'done (cons nil (format "no lens %S" (at-get broken 'lens)))))
                  (step (format "lens %S" blens))
                  (unless (at-wait (lambda () (and (not (funcall hit))
                                                   (with-current-buffer scenario (at-has-lens line (at-get lens 'title)))))
                                   30)
                    (throw 'done (cons nil "the diagnostic stayed after mending the helper")))
                  (step "mended: diagnostic gone, lens back")
                  (cons t (reverse seen))))))
        (when (getenv "AT_DEBUG")
          (dolist (srv (amber-lsp--servers))
            (with-current-buffer (jsonrpc-events-buffer srv)
              (at-log "EVENTS %s" (buffer-substring-no-properties (point-min) (point-max))))))
        (advice-remove 'hack-local-variables-confirm 'at-trust)
        (delete-file (at-path ".dir-locals.el"))))))

(at-check graph (p)
  (if (not (at-managed (at-get p 'file))) (cons nil (at-no-server))
    (let* ((msg (at-command #'amber-lsp-graph (at-get p 'format)))
           (name (format "*amber-lsp graph: %s (%s)*" (file-name-nondirectory (at-get p 'file)) (at-get p 'format)))
           (buf (and (not msg) (at-scratch name (at-get p 'match)))))
      (if buf (cons t (format "%s: %d lines" name (with-current-buffer buf (count-lines (point-min) (point-max)))))
        (cons nil (format "no %s holding %S; %s" name (at-get p 'match) (or msg "no message")))))))

(at-check display (p)
  ;; The preview and graph buffers, from canned answers of a server that
  ;; offers both commands (what the checks above get once amber-lsp has them).
  (if (not (at-managed (at-get p 'file))) (cons nil (at-no-server))
    (let ((asked nil))
      (cl-letf (((symbol-function 'amber-lsp--offers-p) #'always)
                ((symbol-function 'eglot-execute-command)
                 (lambda (_server command arguments)
                   (push (list command arguments) asked)
                   (if (equal command "amber.graph") "flowchart LR\n  api --> web"
                     '(:version 1 :overlays [(:ref "#audit.apply" :scope "/")] :diagnostics [] :ok t :off :json-false)))))
        (amber-lsp-graph "mermaid")
        (amber-lsp-preview))
      (let ((graph (get-buffer "*amber-lsp graph: scenario.json5 (mermaid)*"))
            (preview (get-buffer "*amber-lsp preview: scenario.json5*"))
            (uri (eglot--path-to-uri (at-path (at-get p 'file))))
            (want-preview "{\n  \"version\": 1,\n  \"overlays\": [\n    {\n      \"ref\": \"#audit.apply\",\n      \"scope\": \"/\"\n    }\n  ],\n  \"diagnostics\": [],\n  \"ok\": true,\n  \"off\": false\n}"))
        (cond
         ((not (equal (reverse asked)
                      `(("amber.graph" [,uri (:format "mermaid" :applyOverlays :json-false)])
                        ("amber.overlays.preview" [,uri]))))
          (cons nil (format "asked the server %S" (reverse asked))))
         ((not (and graph (equal (with-current-buffer graph (buffer-string)) "flowchart LR\n  api --> web")))
          (cons nil (format "graph buffer %S" graph)))
         ((not (and preview (equal (with-current-buffer preview (buffer-string)) want-preview)))
          (cons nil (format "preview buffer %S: %S" preview (and preview (with-current-buffer preview (buffer-string))))))
         ((not (and (buffer-local-value 'buffer-read-only graph) (buffer-local-value 'buffer-read-only preview)))
          (cons nil "the buffers can be changed"))
         (t (cons t "graph and preview shown read-only, arguments as documented")))))))

(at-check missing_server (_p)
  ;; A manifest outside the workspace (no server runs there) with a server
  ;; command that is not installed: the user is told what to install.
  (let* ((dir (make-temp-file "amber-missing" t))
         (file (expand-file-name "alone.json5" dir))
         (amber-lsp-server-command '("amber-lsp-not-installed")))
    (with-temp-file file (insert "{ manifest_version: \"0.4.0\" }\n"))
    (unwind-protect
        (progn
          (find-file file)
          (let ((msg (at-command #'run-hooks 'post-command-hook)))
            (cond ((not (eq major-mode 'amber-json5-mode))
                   (cons nil (format "alone.json5 opened in %s" major-mode)))
                  ((at-server) (cons nil "a server runs without a server command"))
                  ((not (and msg (string-search "amber-lsp-not-installed" msg) (string-search "go install" msg)))
                   (cons nil (format "the user was told %S" msg)))
                  (t (cons t msg)))))
      (kill-buffer (get-file-buffer file))
      (delete-directory dir t))))

(at-check restart (p)
  (let ((before (at-managed (car (at-get p 'manifests)))))
    (if (not before) (cons nil (at-no-server))
      (let* ((msg (at-command #'amber-lsp-restart))
             (after (at-wait (lambda () (let ((s (at-server))) (and s (not (eq s before)) (jsonrpc-running-p s) s))))))
        (if after (cons t (format "%s -> %s" (jsonrpc-name before) (jsonrpc-name after)))
          (cons nil (format "no new server; %s" (or msg "no message"))))))))

(defvar at-extra `((settings . t) (display . ,(alist-get 'preview at-plan)) (missing_server . t)
                   (highlights . ,(alist-get 'highlight at-plan))
                   (restart . ,(alist-get 'detect at-plan)))
  "Plan entries of the Emacs-only checks.")

(dolist (c at-checks)
  (let* ((name (car c))
         (p (or (alist-get (intern name) at-plan) (alist-get (intern name) at-extra))))
    (when (and p (or (null at-only) (member name at-only)))
      (let* ((t0 (float-time))
             (at-messages nil)
             (r (condition-case err (funcall (cdr c) p)
                  (error (cons nil (format "error: %s" (error-message-string err))))))
             (line (format "%s emacs %s (%d ms) %s" (if (car r) "PASS" "FAIL") name
                           (round (* 1000 (- (float-time) t0))) (at-brief (or (cdr r) "")))))
        (unless (car r) (setq at-failed t))
        (write-region (concat line "\n") nil at-results t 'silent)
        (at-log "%s" line)
        (ignore-errors (at-revert-all))))))

(dolist (s (amber-lsp--servers)) (ignore-errors (eglot-shutdown s nil 3)))
(kill-emacs (if at-failed 1 0))

;;; checks.el ends here
