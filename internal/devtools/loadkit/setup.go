package loadkit

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
)

// Tokens is what a login or refresh answers (the fields the tools use).
type Tokens struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	User         struct {
		ID             string `json:"id"`
		OrganizationID string `json:"organization_id"`
	} `json:"user"`
}

// StatusError is an answer other than the one expected.
type StatusError struct {
	Code int
	Body string
}

func (e StatusError) Error() string { return fmt.Sprintf("status %d: %s", e.Code, e.Body) }

// Status is the HTTP status.
func (e StatusError) Status() int { return e.Code }

// LoginBody is a login request's JSON.
func LoginBody(email, password string) []byte {
	b, _ := json.Marshal(map[string]string{"email": email, "password": password})
	return b
}

// RefreshBody is a refresh request's JSON.
func RefreshBody(token string) []byte {
	b, _ := json.Marshal(map[string]string{"refresh_token": token})
	return b
}

// Login logs in over c (from clientAddr when set) and decodes the tokens.
func Login(c *Conn, clientAddr, email, password string) (Tokens, error) {
	var t Tokens
	status, err := c.Do(Request{Method: http.MethodPost, Path: "/api/v2/auth/login", ClientAddr: clientAddr, Body: LoginBody(email, password)})
	if err != nil {
		return t, err
	}
	if status != http.StatusOK {
		return t, StatusError{Code: status, Body: c.Body.String()}
	}
	return t, json.Unmarshal(c.Body.Bytes(), &t)
}

// UserPassword is the password of the users CreateUsers creates.
const UserPassword = "load-user-password-7c1e"

// UserEmail is the email of the i-th created user.
func UserEmail(i int) string { return fmt.Sprintf("load-user-%05d@example.com", i) }

// CreateUsers creates n users (UserEmail(0..n-1), UserPassword) in organization org through the
// API with a few parallel connections (each create hashes a password) and returns their ids.
func CreateUsers(addr, token, org string, n, parallel int) ([]string, error) {
	ids := make([]string, n)
	errc := make(chan error, parallel)
	var wg sync.WaitGroup
	next := make(chan int)
	for range parallel {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fail := func(err error) { // the others finish the queue
				errc <- err
				for range next {
				}
			}
			c, err := Dial(addr)
			if err != nil {
				fail(err)
				return
			}
			defer c.Close()
			for i := range next {
				body, _ := json.Marshal(map[string]string{"email": UserEmail(i), "password": UserPassword,
					"first_name": "Load", "last_name": fmt.Sprint(i), "organization_id": org})
				status, err := c.Do(Request{Method: http.MethodPost, Path: "/api/v2/users", Token: token, Body: body})
				if err == nil && status != http.StatusCreated {
					err = fmt.Errorf("create user %d: %d %s", i, status, c.Body.String())
				}
				if err != nil {
					fail(err)
					return
				}
				var u struct {
					ID string `json:"id"`
				}
				if err := json.Unmarshal(c.Body.Bytes(), &u); err != nil {
					fail(err)
					return
				}
				ids[i] = u.ID
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	close(errc)
	return ids, <-errc
}

// RoleID finds the id of the role named name among the first 100 roles the caller sees.
func RoleID(c *Conn, token, name string) (string, error) {
	status, err := c.Do(Request{Method: http.MethodGet, Path: "/api/v2/roles?limit=100", Token: token})
	if err != nil {
		return "", err
	}
	if status != http.StatusOK {
		return "", fmt.Errorf("list roles: %d %s", status, c.Body.String())
	}
	var page struct {
		Items []struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		} `json:"items"`
	}
	if err := json.Unmarshal(c.Body.Bytes(), &page); err != nil {
		return "", err
	}
	for _, r := range page.Items {
		if r.Name == name {
			return r.ID, nil
		}
	}
	return "", fmt.Errorf("no role %q", name)
}

// Activate makes a created user active (only active users may log in).
func Activate(c *Conn, token, user string) error {
	status, err := c.Do(Request{Method: http.MethodPost, Path: "/api/v2/users/" + user + "/activate", Token: token})
	if err != nil {
		return err
	}
	if status/100 != 2 {
		return fmt.Errorf("activate: %d %s", status, c.Body.String())
	}
	return nil
}

// AssignRole gives user the role.
func AssignRole(c *Conn, token, user, role string) error {
	body, _ := json.Marshal(map[string]string{"role_id": role})
	status, err := c.Do(Request{Method: http.MethodPost, Path: "/api/v2/users/" + user + "/roles", Token: token, Body: body})
	if err != nil {
		return err
	}
	if status/100 != 2 {
		return fmt.Errorf("assign role: %d %s", status, c.Body.String())
	}
	return nil
}
