package store

import (
	"time"

	"github.com/sessionguard/sessionguard/limits"
	"github.com/sessionguard/sessionguard/tokens"
)

// Options configure a Store. Zero fields take the defaults stated here.
type Options struct {
	// Prefix starts every key; default "sg".
	Prefix string
	// Keys hash tokens for storage. Default: a random keyring, good for
	// one process only: tokens stop working when it restarts.
	Keys *tokens.Keyring
	// DisableAuth lets every operation through without a token; by
	// default tokens are required.
	DisableAuth bool
	// DisableIsolation lets a token open every session of its user in
	// its app; by default a token opens only its own session. A token
	// never opens another user's sessions.
	DisableIsolation bool
	// IdleTimeout ends a session after this long without activity;
	// default 2h.
	IdleTimeout time.Duration
	// MaxLifetime ends a session this long after creation whatever its
	// activity; default 24h.
	MaxLifetime time.Duration
	// TokenTTL is how long a token is valid, never past its session's
	// lifetime; default 1h.
	TokenTTL time.Duration
	// MaxSessionsPerUser is the number of live sessions a user may have
	// in one app; default 10.
	MaxSessionsPerUser int
	// OverLimit says what Create does at MaxSessionsPerUser; default
	// limits.Reject.
	OverLimit limits.Policy
	// MaxEventsPerSession caps stored events; default 10000.
	MaxEventsPerSession int
	// MaxSessionBytes caps stored events plus session state; default
	// 16 MiB.
	MaxSessionBytes int64
	// MaxEventBytes caps one stored event; default 1 MiB.
	MaxEventBytes int64
	// MaxUserStateBytes caps the user: state of one user in one app,
	// which outlives the user's sessions; default 1 MiB.
	MaxUserStateBytes int64
	// MaxTokensPerSession caps a session's live tokens; default 100.
	MaxTokensPerSession int
}

func (o Options) withDefaults() Options {
	def := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	if o.Prefix == "" {
		o.Prefix = "sg"
	}
	if o.Keys == nil {
		o.Keys = tokens.RandomKeyring()
	}
	def(&o.IdleTimeout, 2*time.Hour)
	def(&o.MaxLifetime, 24*time.Hour)
	def(&o.TokenTTL, time.Hour)
	if o.MaxSessionsPerUser <= 0 {
		o.MaxSessionsPerUser = 10
	}
	if o.OverLimit == "" {
		o.OverLimit = limits.Reject
	}
	if o.MaxEventsPerSession <= 0 {
		o.MaxEventsPerSession = 10000
	}
	if o.MaxSessionBytes <= 0 {
		o.MaxSessionBytes = 16 << 20
	}
	if o.MaxEventBytes <= 0 {
		o.MaxEventBytes = 1 << 20
	}
	if o.MaxTokensPerSession <= 0 {
		o.MaxTokensPerSession = 100
	}
	if o.MaxUserStateBytes <= 0 {
		o.MaxUserStateBytes = 1 << 20
	}
	return o
}

func (o Options) limits() limits.Limits {
	return limits.Limits{
		MaxSessionsPerUser:  o.MaxSessionsPerUser,
		Policy:              o.OverLimit,
		MaxEventsPerSession: o.MaxEventsPerSession,
		MaxSessionBytes:     o.MaxSessionBytes,
		MaxEventBytes:       o.MaxEventBytes,
		MaxUserStateBytes:   o.MaxUserStateBytes,
	}
}
