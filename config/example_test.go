package config_test

import (
	"fmt"
	"os"

	"github.com/spf13/pflag"
	"github.com/spf13/viper"

	"github.com/sessionguard/sessionguard/config"
)

// ExampleLoad configures a binary from its environment: a real Redis
// needs at least one token key, so tokens survive a restart.
func ExampleLoad() {
	os.Setenv("SESSIONGUARD_REDIS_ADDRS", "redis:6379")
	os.Setenv("SESSIONGUARD_TOKEN_KEYS",
		"k1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=")
	defer os.Unsetenv("SESSIONGUARD_REDIS_ADDRS")
	defer os.Unsetenv("SESSIONGUARD_TOKEN_KEYS")

	fs := pflag.NewFlagSet("sessiond", pflag.ContinueOnError)
	v := viper.New()
	config.Register(fs, v)
	// Flags that are set beat the environment.
	if err := fs.Parse([]string{"--listen", ":9090"}); err != nil {
		fmt.Println(err)
		return
	}
	cfg, err := config.Load(v)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(cfg.Listen, cfg.RedisAddrs, cfg.Embedded(), cfg.IdleTimeout())
	// Output: :9090 [redis:6379] false 2h0m0s
}
