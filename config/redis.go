package config

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"

	"github.com/redis/go-redis/v9"
)

// RedisOptions returns the go-redis options for the configured Redis:
// one server, Sentinel (RedisMasterName set) or Cluster (RedisCluster).
// In embedded mode Addrs is empty and the caller fills in the address of
// the embedded server. It fails only when RedisTLSCAFile cannot be read
// or holds no PEM certificate. Pass the result to redis.NewUniversalClient.
func (c *Config) RedisOptions() (*redis.UniversalOptions, error) {
	tlsConf, err := c.tlsConfig()
	if err != nil {
		return nil, err
	}
	return &redis.UniversalOptions{
		Addrs:         append([]string(nil), c.RedisAddrs...),
		Username:      c.RedisUsername,
		Password:      c.RedisPassword,
		DB:            c.RedisDB,
		MasterName:    c.RedisMasterName,
		IsClusterMode: c.RedisCluster,
		TLSConfig:     tlsConf,
	}, nil
}

// tlsConfig returns nil without RedisTLS. ServerName stays empty so that
// the TLS dialer checks each node against its own host name.
func (c *Config) tlsConfig() (*tls.Config, error) {
	if !c.RedisTLS {
		return nil, nil
	}
	conf := &tls.Config{MinVersion: tls.VersionTLS12}
	if c.RedisTLSCAFile == "" {
		return conf, nil // nil RootCAs: the system roots
	}
	pem, err := os.ReadFile(c.RedisTLSCAFile)
	if err != nil {
		return nil, fmt.Errorf("config: redis_tls_ca_file: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, &FieldError{Field: "redis_tls_ca_file", Problem: fmt.
			Sprintf("%q holds no PEM certificate", c.RedisTLSCAFile)}
	}
	conf.RootCAs = pool
	return conf, nil
}
