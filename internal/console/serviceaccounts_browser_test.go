package console_test

// TestConsoleManagesServiceAccounts: create a service account, issue a client secret (shown
// once) that gets a token at /oauth2/token, add a public key, refuse a key that is not JSON
// beside its field, and delete the secret.

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"entgo.io/ent/dialect"
	"github.com/chromedp/chromedp"

	"github.com/telemetryflow/core/internal/testutil/apitest"
)

func TestConsoleManagesServiceAccounts(t *testing.T) {
	srv := apitest.Start(t, dialect.SQLite)
	b := newTab(t, 1280, 800)
	b.signIn(srv.URL, apitest.AdminEmail, apitest.AdminPassword)
	b.open("#/service-accounts", "Service accounts")
	b.do("create", chromedp.Click(chromedp.ID("new-service-account")),
		chromedp.WaitVisible(chromedp.CSS(`dialog input[name=name]`)),
		chromedp.SendKeys(chromedp.CSS(`dialog input[name=name]`), "ci-pipeline"),
		chromedp.Click(chromedp.CSS(`dialog button[type=submit]`)))
	b.waitText("its page", "main h1", "ci-pipeline")
	clientID := eval[string](b, `document.querySelector('main .facts code').textContent`)

	b.do("issue a secret",
		chromedp.SendKeys(chromedp.CSS(`main input[name=description]`), "deploy job"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('main input[name=description]').form.requestSubmit()`),
		chromedp.WaitVisible(chromedp.ID("new-client-secret")))
	secret := eval[string](b, `document.getElementById('new-client-secret').value`)
	b.screenshot("service-account-secret")
	b.do("close", chromedp.Click(chromedp.CSS(`dialog .dialog-head button`)))
	b.waitText("the secret listed", "main", "deploy job")

	form := url.Values{"grant_type": {"client_credentials"}}
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/oauth2/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(url.QueryEscape(clientID), url.QueryEscape(secret))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("client credentials with the console's secret: %d", resp.StatusCode)
	}

	b.do("a key that is not JSON",
		chromedp.SendKeys(chromedp.CSS(`main textarea[name=jwk]`), "not json"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('main textarea[name=jwk]').form.requestSubmit()`))
	b.waitText("the error beside the field", "main", "must be a JSON Web Key")
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	jwk := `{"kty":"OKP","crv":"Ed25519","x":"` + base64.RawURLEncoding.EncodeToString(pub) + `"}`
	b.do("a real public key",
		chromedp.SetValue(chromedp.CSS(`main textarea[name=jwk]`), jwk),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('main textarea[name=jwk]').form.requestSubmit()`))
	b.waitText("the key listed", "main", "EdDSA")
	b.screenshot("service-account")

	b.do("delete the secret", chromedp.Evaluate[chromedp.Void](
		`[...document.querySelectorAll('main section.card')][0].querySelector('tbody button').click()`),
		chromedp.WaitVisible(chromedp.CSS(`dialog button.danger`)),
		chromedp.Click(chromedp.CSS(`dialog button.danger`)))
	b.waitText("deleted", "#toast", "Secret deleted")
}
