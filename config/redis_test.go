package config

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"math/big"
	"path/filepath"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"
)

func TestRedisOptions(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*Config)
		want   redis.UniversalOptions
		client any // the client type go-redis builds from the options
	}{
		{"standalone", func(c *Config) {
			c.RedisUsername, c.RedisDB = "u", 4
		}, redis.UniversalOptions{Addrs: []string{"redis:6379"},
			Username: "u", Password: password, DB: 4}, &redis.Client{}},
		{"sentinel", func(c *Config) {
			c.RedisAddrs = []string{"s1:26379", "s2:26379"}
			c.RedisMasterName = "mymaster"
		}, redis.UniversalOptions{Addrs: []string{"s1:26379", "s2:26379"},
			Password: password, MasterName: "mymaster"}, &redis.Client{}},
		{"cluster", func(c *Config) {
			c.RedisAddrs = []string{"n1:7000", "n2:7000"}
			c.RedisCluster = true
		}, redis.UniversalOptions{Addrs: []string{"n1:7000", "n2:7000"},
			Password: password, IsClusterMode: true},
			&redis.ClusterClient{}},
		{"cluster endpoint", func(c *Config) { c.RedisCluster = true },
			redis.UniversalOptions{Addrs: []string{"redis:6379"},
				Password: password, IsClusterMode: true},
			&redis.ClusterClient{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := realRedis()
			tt.mutate(&c)
			require.NoError(t, c.Validate())
			opts, err := c.RedisOptions()
			require.NoError(t, err)
			require.Equal(t, tt.want, *opts)
			// Building a client does not connect, so this is offline.
			client := redis.NewUniversalClient(opts)
			defer client.Close()
			require.IsType(t, tt.client, client)
		})
	}
}

func TestRedisOptionsEmbedded(t *testing.T) {
	c := Default()
	opts, err := c.RedisOptions()
	require.NoError(t, err)
	require.Empty(t, opts.Addrs)
	require.Nil(t, opts.TLSConfig)
}

func TestRedisOptionsCopiesAddrs(t *testing.T) {
	c := realRedis()
	opts, err := c.RedisOptions()
	require.NoError(t, err)
	opts.Addrs[0] = "changed:1"
	require.Equal(t, "redis:6379", c.RedisAddrs[0])
}

func TestRedisTLS(t *testing.T) {
	dir := t.TempDir()
	ca := writePEMCert(t)
	notPEM := writeFile(t, "junk.pem", "not a certificate\n")
	tests := []struct {
		name    string
		caFile  string
		wantErr string
		roots   bool
	}{
		{"system roots", "", "", false},
		{"ca file", ca, "", true},
		{"missing ca file", filepath.Join(dir, "absent.pem"),
			"config: redis_tls_ca_file: ", false},
		{"not pem", notPEM,
			"config: redis_tls_ca_file: \"" + notPEM + "\" holds no PEM",
			false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := realRedis()
			c.RedisTLS, c.RedisTLSCAFile = true, tt.caFile
			opts, err := c.RedisOptions()
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			require.NotNil(t, opts.TLSConfig)
			require.Equal(t, uint16(tls.VersionTLS12),
				opts.TLSConfig.MinVersion)
			require.Empty(t, opts.TLSConfig.ServerName,
				"the dialer takes the name of each node")
			require.Equal(t, tt.roots, opts.TLSConfig.RootCAs != nil)
		})
	}
}

// writePEMCert writes a fresh self-signed CA certificate to a file and
// returns its path.
func writePEMCert(t *testing.T) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl,
		&key.PublicKey, key)
	require.NoError(t, err)
	block := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	return writeFile(t, "ca.pem", string(block))
}
