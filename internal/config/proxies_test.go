package config

import (
	"strings"
	"testing"
)

func TestTrustedProxiesSetting(t *testing.T) {
	c := Config{Database: "sqlite:x.db", Addr: "127.0.0.1:8080", DataDir: "data", LogLevel: "info",
		TrustedProxies: "10.0.0.0/8, proxy.internal"}
	err := c.Validate()
	if err == nil || !strings.Contains(err.Error(), `--trusted-proxies / PRESSREVIEW_TRUSTED_PROXIES: "proxy.internal" is not a CIDR`) {
		t.Errorf("a host name among the trusted proxies: %v", err)
	}
	c.TrustedProxies = "10.0.0.0/8, 127.0.0.1"
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
}
