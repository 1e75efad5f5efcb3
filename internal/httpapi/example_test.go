package httpapi_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/sessionguard/sessionguard/internal/httpapi"
	"github.com/sessionguard/sessionguard/store"
)

// ExampleNew serves a store over HTTP, creates a session, appends an
// event with the session's token and reads the session back.
func ExampleNew() {
	m, err := miniredis.Run() // an in-memory Redis, for the example
	if err != nil {
		panic(err)
	}
	defer m.Close()
	st, _ := store.New(redis.NewClient(&redis.Options{Addr: m.Addr()}),
		store.Options{})
	srv := httptest.NewServer(httpapi.New(st, httpapi.Options{}))
	defer srv.Close()
	base := srv.URL + "/apps/demo/users/alice/sessions"

	resp := send("POST", base, "", `{"sessionId": "s1"}`)
	token := resp.Header.Get("X-Session-Token")
	fmt.Println("create:", resp.Status, resp.Header.Get("ETag"))

	resp = send("POST", base+"/s1/events", token,
		`{"author": "user", "actions": {"stateDelta": {"turns": 1}}}`)
	fmt.Println("append:", resp.Status, resp.Header.Get("ETag"))

	resp = send("GET", base+"/s1?numRecentEvents=0", token, "")
	fmt.Println("get:", resp.Status, resp.Header.Get("ETag"))

	resp = send("GET", base+"/s1", "", "")
	fmt.Println("no token:", resp.Status)
	// Output:
	// create: 200 OK "1"
	// append: 200 OK "2"
	// get: 200 OK "2"
	// no token: 401 Unauthorized
}

// send makes one request and closes its body.
func send(method, url, token, body string) *http.Response {
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}
