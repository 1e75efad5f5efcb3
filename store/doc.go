// Package store is sessionguard's session store: ADK-style agent
// sessions (app, user, session id, state, events) kept in Redis, shared
// by any number of processes, with token authentication, per-user and
// per-session limits, idle and absolute timeouts, and optimistic
// concurrency.
//
//	st, _ := store.New(rdb, store.Options{Keys: ring})
//	sess, tok, _ := st.Create(ctx, "app", "user", store.CreateOptions{})
//	cred := store.Bearer(tok)
//	_, err := st.AppendEvent(ctx, cred, sess, &store.Event{Author: "user"})
//	sess, err = st.Get(ctx, cred, sess.Ref(), nil)
//
// Every operation is one Redis round trip: one Lua script that checks
// the token, enforces the limits, writes and refreshes TTLs atomically.
// Errors match the sentinels below with errors.Is.
package store
