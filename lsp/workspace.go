package lsp

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/amberlsp/amber-lsp/analysis"
	"github.com/amberlsp/amber-lsp/diag"
)

// The workspace notifications: watched files, configuration and folders.
// They run on the read loop, in wire order; what needs the client (asking
// for settings, indexing) runs in the background.

func (s *server) didChangeWatchedFiles(p *protocol.DidChangeWatchedFilesParams) {
	var changes []analysis.FileChange
	for _, e := range p.Changes {
		path, ok := pathOf(e.URI)
		if !ok {
			continue
		}
		kind := analysis.FileChanged
		switch e.Type {
		case protocol.FileChangeTypeCreated:
			kind = analysis.FileCreated
		case protocol.FileChangeTypeDeleted:
			kind = analysis.FileDeleted
		}
		changes = append(changes, analysis.FileChange{Path: path, Kind: kind})
	}
	if len(changes) == 0 {
		return
	}
	s.ws.FilesChanged(changes)
	s.sched.schedule()
	// A helper program is no document of the server's: editors send no
	// didSave for it, but its change on disk asks for a preview as a save
	// would (the README's "break the helper").
	for _, c := range changes {
		if c.Kind == analysis.FileChanged && s.isPreviewProgram(c.Path) {
			s.previews.saved(c.Path)
		}
	}
}

// isPreviewProgram reports whether path is a helper program that a kept
// overlay preview ran.
func (s *server) isPreviewProgram(path string) bool {
	for _, p := range s.ws.Snapshot().Previews() {
		if slices.Contains(p.Programs(), path) {
			return true
		}
	}
	return false
}

// fetchConfiguration asks the client for the `amber` section.
func (s *server) fetchConfiguration(ctx context.Context) {
	var raw jsonrpc2.RawMessage
	err := s.callClient(ctx, protocol.MethodWorkspaceConfiguration, &protocol.ConfigurationParams{
		Items: []protocol.ConfigurationItem{{Section: ptr("amber")}},
	}, &raw)
	if err != nil {
		s.logf(protocol.MessageTypeWarning, "workspace/configuration: %v", err)
		return
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil || len(items) == 0 {
		s.logf(protocol.MessageTypeWarning, "workspace/configuration: expected a list with one item, got %.100s", raw)
		return
	}
	s.mu.Lock()
	st, err := parseSettings(items[0], s.settings)
	s.mu.Unlock()
	s.settingsProblem("settings", err)
	s.setSettings(st)
}

func (s *server) didChangeConfiguration(p *protocol.DidChangeConfigurationParams) {
	if s.caps.configuration {
		// Pull model: the notification only says something changed.
		s.goBackground(s.fetchConfiguration)
		return
	}
	s.mu.Lock()
	st, err := parseSettings(p.Settings, s.settings)
	s.mu.Unlock()
	s.settingsProblem("settings", err)
	s.setSettings(st)
}

// settingsProblem tells the user about invalid settings (err, when not
// nil), in the log and in a window/showMessage; the same problem is shown
// once, until the settings change.
func (s *server) settingsProblem(where string, err error) {
	msg := ""
	if err != nil {
		msg = fmt.Sprintf("%s: %v", where, err)
	}
	s.mu.Lock()
	repeated := msg == s.shownProblem
	s.shownProblem = msg
	s.mu.Unlock()
	if err == nil {
		return
	}
	s.logf(protocol.MessageTypeError, "%s", msg)
	if !repeated {
		s.showf(protocol.MessageTypeError, "amber-lsp: %s", msg)
	}
}

func (s *server) setSettings(st settings) {
	s.mu.Lock()
	s.settings = st
	if st.Trace != "" {
		s.trace = st.Trace
	}
	s.mu.Unlock()
	s.applySettings()
	s.sched.schedule()
}

// applySettings gives the workspace the configuration the settings mean.
func (s *server) applySettings() {
	s.mu.Lock()
	roots, refused := s.settings.rootPaths(s.folders)
	cfg := analysis.Config{Roots: roots, Limits: s.settings.Limits}
	if s.settings.DenyWarnings {
		cfg.Deny = []string{diag.DenyAll}
	}
	st := s.settings
	s.mu.Unlock()
	s.refuseRoots(refused)
	s.ws.SetConfig(cfg)
	s.previews.configure(st)
}

// refuseRoots tells the user about amber.roots entries outside the
// workspace folders, which are not analysed: in the log each time the
// settings are applied, in a window/showMessage once for each list.
func (s *server) refuseRoots(refused []string) {
	msg := ""
	if len(refused) > 0 {
		msg = "amber.roots: these roots are outside the workspace folders and are not analysed: " + strings.Join(refused, ", ")
	}
	s.mu.Lock()
	repeated := msg == s.shownRoots
	s.shownRoots = msg
	s.mu.Unlock()
	if msg == "" {
		return
	}
	s.logf(protocol.MessageTypeWarning, "%s", msg)
	if !repeated {
		s.showf(protocol.MessageTypeWarning, "amber-lsp: %s", msg)
	}
}

// registerWatchers asks the client to report every change of files on
// disk: manifests, the YAML files they name (cloud-init), the files of
// program `{ file }` references, and overlay helper programs, whose change
// asks for a preview (the helper is no document the editor syncs).
func (s *server) registerWatchers(ctx context.Context) {
	opts := protocol.DidChangeWatchedFilesRegistrationOptions{
		Watchers: []protocol.FileSystemWatcher{
			{GlobPattern: protocol.Pattern("**/*"), Kind: protocol.WatchKindCreate | protocol.WatchKindChange | protocol.WatchKindDelete},
		},
	}
	raw, err := protocol.Marshal(opts)
	if err != nil {
		s.logf(protocol.MessageTypeError, "cannot encode watchers: %v", err)
		return
	}
	err = s.callClient(ctx, protocol.MethodClientRegisterCapability, &protocol.RegistrationParams{
		Registrations: []protocol.Registration{{
			ID:              "amber-watched-files",
			Method:          protocol.MethodWorkspaceDidChangeWatchedFiles,
			RegisterOptions: protocol.LSPAny(raw),
		}},
	}, nil)
	if err != nil {
		s.logf(protocol.MessageTypeWarning, "cannot register file watchers (changes on disk will be missed): %v", err)
	}
}

// workspaceFoldersCapability: the server takes several folders and their
// changes.
func workspaceFoldersCapability(caps *protocol.ServerCapabilities, _ clientCaps) {
	if caps.Workspace == nil {
		caps.Workspace = &protocol.WorkspaceOptions{}
	}
	caps.Workspace.WorkspaceFolders = &protocol.WorkspaceFoldersServerCapabilities{
		Supported:           ptr(true),
		ChangeNotifications: protocol.Boolean(true),
	}
}

func (s *server) didChangeWorkspaceFolders(p *protocol.DidChangeWorkspaceFoldersParams) {
	s.mu.Lock()
	folders := slices.Clone(s.folders)
	for _, f := range p.Event.Removed {
		if path, ok := pathOf(f.URI); ok {
			folders = slices.DeleteFunc(folders, func(x string) bool { return x == path })
		}
	}
	for _, f := range p.Event.Added {
		if path, ok := pathOf(f.URI); ok && !slices.Contains(folders, path) {
			folders = append(folders, path)
		}
	}
	s.folders = folders
	s.mu.Unlock()
	s.applySettings() // roots are relative to the first folder
	s.goBackground(s.index)
}

var progressTokens atomic.Int64

// index discovers the manifests of the workspace folders and waits for
// the scheduler to publish their report, reporting $/progress when the
// client shows it.
func (s *server) index(ctx context.Context) {
	s.mu.Lock()
	folders := slices.Clone(s.folders)
	s.mu.Unlock()
	p := s.beginProgress(ctx, "Indexing Amber manifests")
	snap, err := s.ws.SetFolders(folders)
	s.indexPending.Store(false)
	s.indexOnce.Do(func() { close(s.indexRead) })
	if err != nil {
		s.logf(protocol.MessageTypeWarning, "%v", err)
		s.showf(protocol.MessageTypeWarning, "amber-lsp: %v; manifests there are not checked", err)
	}
	p.report("analyzing")
	s.sched.refresh()
	rep, err := s.sched.report(ctx, snap.ID())
	if err != nil {
		p.end("cancelled")
		return
	}
	msg := fmt.Sprintf("%d manifests, %d roots", len(rep.Manifests), len(rep.Roots))
	p.end(msg)
	s.logf(protocol.MessageTypeInfo, "indexed %d folder(s): %s", len(folders), msg)
}

// progress is one $/progress sequence (a no-op when the client does not
// show progress).
type progress struct {
	s     *server
	token protocol.ProgressToken
}

func (s *server) beginProgress(ctx context.Context, title string) *progress {
	if !s.caps.progress {
		return &progress{}
	}
	token := protocol.String(fmt.Sprintf("amber-lsp/%d", progressTokens.Add(1)))
	if err := s.callClient(ctx, protocol.MethodWindowWorkDoneProgressCreate, &protocol.WorkDoneProgressCreateParams{Token: token}, nil); err != nil {
		return &progress{}
	}
	p := &progress{s: s, token: token}
	p.send(&protocol.WorkDoneProgressBegin{Kind: "begin", Title: title})
	return p
}

func (p *progress) report(msg string) {
	p.send(&protocol.WorkDoneProgressReport{Kind: "report", Message: ptr(msg)})
}

func (p *progress) end(msg string) {
	p.send(&protocol.WorkDoneProgressEnd{Kind: "end", Message: ptr(msg)})
}

func (p *progress) send(value any) {
	if p.s == nil {
		return
	}
	raw, err := protocol.Marshal(value)
	if err != nil {
		return
	}
	p.s.notify(protocol.MethodProgress, &protocol.ProgressParams{Token: p.token, Value: protocol.LSPAny(raw)})
}
