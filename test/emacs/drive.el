;;; drive.el --- use the README's eglot configuration as a writer would, in batch mode  -*- lexical-binding: t -*-
;; test/emacs.test.ts loads the README's block, then this file: it opens the note named by VERBATIM_NOTE, waits
;; for Verbatim's diagnostics, hovers the changed quotation, applies its preferred quick fix, and writes what came
;; back to VERBATIM_RESULTS as JSON for the test to check.

(require 'json)
(require 'flymake)
;; Loading markdown-mode associates .md files with it, as its autoloads do in an interactive Emacs.
(require 'markdown-mode)

(defun verbatim-drive-wait (predicate seconds)
  "Let the server's messages in until PREDICATE holds or SECONDS pass; return PREDICATE's value."
  (let ((deadline (+ (float-time) seconds)) value)
    (while (and (not (setq value (funcall predicate))) (< (float-time) deadline))
      (accept-process-output nil 0.1))
    value))

(defun verbatim-drive-diagnostics ()
  "The buffer's flymake diagnostics as alists, first line 0 and columns counted from 0."
  ;; Batch Emacs runs no idle timers, so flymake is asked by hand; eglot hands it what the server published.
  (flymake-start)
  (mapcar (lambda (d)
            (save-excursion
              (goto-char (flymake-diagnostic-beg d))
              `((line . ,(1- (line-number-at-pos)))
                (column . ,(current-column))
                (type . ,(symbol-name (flymake-diagnostic-type d)))
                ;; The LSP severity as the server sent it (flymake folds information and hint into one type).
                (severity . ,(plist-get (alist-get 'eglot-lsp-diag (flymake-diagnostic-data d)) :severity))
                (text . ,(flymake-diagnostic-text d)))))
          (sort (flymake-diagnostics) (lambda (a b) (< (flymake-diagnostic-beg a) (flymake-diagnostic-beg b))))))

(let ((results '()))
  (condition-case err
      (progn
        (find-file (getenv "VERBATIM_NOTE"))
        (push `(mode . ,(symbol-name major-mode)) results)
        ;; eglot-ensure connects after the command that opened the file; in batch mode no command runs.
        (run-hooks 'post-command-hook)
        (let ((server (verbatim-drive-wait #'eglot-current-server 30)))
          (push `(server . ,(and server (jsonrpc-name server))) results)
          (let ((diagnostics (verbatim-drive-wait (lambda () (let ((ds (verbatim-drive-diagnostics))) (and (>= (length ds) (string-to-number (getenv "VERBATIM_EXPECTED"))) ds))) 60)))
            (push `(diagnostics . ,(vconcat (or diagnostics (verbatim-drive-diagnostics)))) results))
          ;; Hover the word the example changes, inside its quotation.
          (goto-char (point-min))
          (search-forward "kilometres")
          (backward-word)
          (let ((hover (jsonrpc-request server :textDocument/hover (eglot--TextDocumentPositionParams))))
            (push `(hover . ,(plist-get (plist-get hover :contents) :value)) results))
          ;; The quick fixes there; the preferred one (restore the source's wording) applied.
          (let* ((here (eglot--pos-to-lsp-position (point)))
                 (actions (jsonrpc-request server :textDocument/codeAction
                                          (list :textDocument (eglot--TextDocumentIdentifier)
                                                :range (list :start here :end here)
                                                :context (list :diagnostics []))))
                 (preferred (seq-find (lambda (a) (eq (plist-get a :isPreferred) t)) actions)))
            (push `(code_actions . ,(vconcat (mapcar (lambda (a) (plist-get a :title)) actions))) results)
            (when preferred (eglot--apply-workspace-edit (plist-get preferred :edit)))
            (push `(fixed_line . ,(buffer-substring-no-properties (line-beginning-position) (line-end-position))) results))))
    (error (push `(error . ,(error-message-string err)) results)))
  (with-temp-file (getenv "VERBATIM_RESULTS")
    (insert (json-encode results)))
  (kill-emacs 0))
