package store_test

import (
	"encoding/json"
	"fmt"
	"strconv"
	"testing"

	"github.com/sessionguard/sessionguard/internal/testredis"
	"github.com/sessionguard/sessionguard/store"
)

// The benchmarks run against SESSIONGUARD_TEST_REDIS (miniredis without
// it) and put each store operation next to the raw go-redis commands a
// minimal store would send for the same work, on the same server in the
// same run: the baseline the one-round-trip design is measured against.

func benchBackend(b *testing.B) testredis.Backend {
	if testredis.Env() {
		return testredis.Standalone(b)
	}
	return testredis.Mini(b)
}

func BenchmarkAppend(b *testing.B) {
	be := benchBackend(b)
	st, err := store.New(be.Client, store.Options{Prefix: be.Prefix,
		MaxEventsPerSession: 1 << 30, MaxSessionBytes: 1 << 40})
	if err != nil {
		b.Fatal(err)
	}
	sess, tok, err := st.Create(ctx, "app", "u", store.CreateOptions{})
	if err != nil {
		b.Fatal(err)
	}
	cred := store.Bearer(tok)
	body := json.RawMessage(`{"parts":[{"text":"a typical short model reply"}]}`)
	b.Run("store", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			ev := &store.Event{ID: strconv.Itoa(i), Author: "m", Content: body,
				Actions: store.Actions{StateDelta: map[string]json.RawMessage{
					"step": json.RawMessage(strconv.Itoa(i))}}}
			if _, err := st.AppendEvent(ctx, cred, sess, ev); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("raw-go-redis", func(b *testing.B) {
		key := be.Prefix + ":raw:" + sess.ID
		for i := 0; b.Loop(); i++ {
			ev := &store.Event{ID: strconv.Itoa(i), Author: "m", Content: body}
			raw, _ := json.Marshal(ev)
			p := be.Client.TxPipeline()
			p.RPush(ctx, key+":ev", raw)
			p.HSet(ctx, key+":state", "step", i)
			p.Expire(ctx, key+":ev", st.Options().IdleTimeout)
			if _, err := p.Exec(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkGetRecent(b *testing.B) {
	be := benchBackend(b)
	st, err := store.New(be.Client, store.Options{Prefix: be.Prefix})
	if err != nil {
		b.Fatal(err)
	}
	sess, tok, err := st.Create(ctx, "app", "u", store.CreateOptions{})
	if err != nil {
		b.Fatal(err)
	}
	cred := store.Bearer(tok)
	raw := be.Prefix + ":raw:list"
	for i := range 10000 {
		ev := &store.Event{ID: fmt.Sprint(i), Author: "m"}
		if _, err := st.AppendEvent(ctx, cred, sess, ev); err != nil {
			b.Fatal(err)
		}
		js, _ := json.Marshal(ev)
		be.Client.RPush(ctx, raw, js)
	}
	b.Run("store-last-50-of-10000", func(b *testing.B) {
		for b.Loop() {
			got, err := st.Get(ctx, cred, sess.Ref(),
				&store.GetOptions{NumRecentEvents: 50})
			if err != nil || len(got.Events) != 50 {
				b.Fatal(err)
			}
		}
	})
	b.Run("raw-go-redis-lrange-last-50", func(b *testing.B) {
		for b.Loop() {
			vals, err := be.Client.LRange(ctx, raw, -50, -1).Result()
			if err != nil || len(vals) != 50 {
				b.Fatal(err)
			}
			for _, v := range vals {
				var ev store.Event
				if err := json.Unmarshal([]byte(v), &ev); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}
