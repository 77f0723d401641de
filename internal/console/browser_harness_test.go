package console_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// EnvScreenshots names a directory the browser tests save their screenshots to
// (`go tool task console:screenshots` sets it to docs/console).
const EnvScreenshots = "TF_CONSOLE_SCREENSHOTS"

// tab is one headless Chromium tab with the page's errors collected: an uncaught exception,
// a console error or a refused resource (a CSP violation) fails the test.
type tab struct {
	t    *testing.T
	ctx  context.Context
	mu   sync.Mutex
	errs []string
}

// chromium finds Debian's chromium. A missing browser fails the test: the console's
// end-to-end tests never skip (.ci/run installs the package).
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("the console's browser tests need headless Chromium and it is not on PATH; " +
		"install it with `apt-get install -y chromium` (Debian package; .ci/run installs it)")
	return ""
}

// newTab starts Chromium with a viewport of width×height CSS pixels.
func newTab(t *testing.T, width, height int) *tab {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)),
		chromedp.NoSandbox, // CI runs as root in a container
		chromedp.WindowSize(width, height),
		chromedp.UserDataDir(t.TempDir()),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc()
	})
	b := &tab{t: t, ctx: ctx}
	// The first Do starts the browser with a context that has no deadline (a deadline on it
	// would end the browser); each step then runs under its own timeout.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	// The window has a minimum width; the viewport emulation goes down to a phone's.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(width), int64(height))); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Listen(ctx, b.observe); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, log.Enable, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		for _, e := range b.errs {
			t.Errorf("page error: %s", e)
		}
	})
	return b
}

// observe runs in the tab's event loop: it only records.
func (b *tab) observe(ev any) {
	var msg string
	switch e := ev.(type) {
	case *runtime.EventExceptionThrown:
		msg = "exception: " + e.ExceptionDetails.Text
		if e.ExceptionDetails.Exception != nil {
			msg += " " + e.ExceptionDetails.Exception.Description
		}
	case *runtime.EventConsoleAPICalled:
		if e.Type == runtime.ConsoleAPICalledTypeError {
			var parts []string
			for _, a := range e.Args {
				parts = append(parts, string(a.Value)+a.Description)
			}
			msg = "console.error: " + strings.Join(parts, " ")
		}
	case *log.EventEntryAdded:
		// A 4xx the console handles (a viewer's denied call) is logged as a network error and
		// is expected; anything else — a CSP refusal above all — is a failure.
		if e.Entry.Level == log.EntryLevelError && e.Entry.Source != log.EntrySourceNetwork {
			msg = fmt.Sprintf("%s: %s %s", e.Entry.Source, e.Entry.Text, e.Entry.URL)
		}
	}
	if msg != "" {
		b.mu.Lock()
		b.errs = append(b.errs, msg)
		b.mu.Unlock()
	}
}

// stepTimeout bounds one step; generous, because CI machines are shared and a browser step is
// normally done in well under a second.
const stepTimeout = 60 * time.Second

// pollTimeout bounds a wait for the page to show something.
const pollTimeout = 45 * time.Second

// do performs the steps or fails the test, naming the step and showing what the page shows.
func (b *tab) do(step string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v; the page shows:\n%.1500s", step, err, b.pageText())
	}
}

// pageText is the visible text of the page (dialogs first), for failure messages.
func (b *tab) pageText() string {
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](
		`[...document.querySelectorAll('dialog[open]')].map((d) => d.innerText).join('\n') + '\n' + document.body.innerText`))
	if err != nil {
		return "(unreadable: " + err.Error() + ")"
	}
	return text
}

// eval evaluates a JavaScript expression and decodes its value.
func eval[T any](b *tab, expr string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// signIn opens the console and signs in; it returns once the shell shows the user.
func (b *tab) signIn(base, email, password string) {
	b.t.Helper()
	b.do("sign in "+email,
		chromedp.Navigate(base+"/console/"),
		chromedp.WaitVisible(chromedp.CSS(`input[name=email]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=email]`), email),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), password),
		chromedp.Click(chromedp.CSS(`form button[type=submit]`)), // a click fires the form's submit event; form.submit() would not
		chromedp.WaitVisible(chromedp.ID(`signout`)),
	)
}

// waitText waits until the first match of the CSS selector contains want.
func (b *tab) waitText(step, sel, want string) {
	b.t.Helper()
	js := fmt.Sprintf(`(document.querySelector(%q)?.textContent || '').includes(%q)`, sel, want)
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Poll[chromedp.Void](js, chromedp.WithPollingTimeout(pollTimeout))); err != nil {
		b.t.Fatalf("%s: %q not in %s: %v; the page shows:\n%.1500s", step, want, sel, err, b.pageText())
	}
}

// exists reports whether the CSS selector matches now.
func (b *tab) exists(sel string) bool {
	b.t.Helper()
	return eval[bool](b, fmt.Sprintf(`document.querySelector(%q) !== null`, sel))
}

// go navigates within the console (a hash route) and waits for the page's heading.
func (b *tab) open(route, heading string) {
	b.t.Helper()
	b.do("open "+route, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`location.hash = %q`, route)))
	b.waitText("heading of "+route, "main h1", heading)
}

// screenshot saves the viewport as name.png under $TF_CONSOLE_SCREENSHOTS, when set.
func (b *tab) screenshot(name string) {
	b.t.Helper()
	dir := os.Getenv(EnvScreenshots)
	if dir == "" {
		return
	}
	// Let the last answers render; drop the notifications, which would cover the page.
	b.do("settle", chromedp.Sleep(500*time.Millisecond),
		chromedp.Evaluate[chromedp.Void](`document.getElementById('toast')?.replaceChildren()`))
	png, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// downloadsTo lets the page save files into dir.
func (b *tab) downloadsTo(dir string) {
	b.t.Helper()
	_, err := chromedp.CallBrowser(b.ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir,
	})
	if err != nil {
		b.t.Fatal(err)
	}
}

// waitFile waits for a completed download whose name has the suffix and returns its content.
func waitFile(t *testing.T, dir, suffix string) []byte {
	t.Helper()
	deadline := time.Now().Add(stepTimeout)
	for time.Now().Before(deadline) {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), suffix) {
				b, err := os.ReadFile(filepath.Join(dir, e.Name()))
				if err == nil && len(b) > 0 {
					return b
				}
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("no %s file downloaded to %s", suffix, dir)
	return nil
}
