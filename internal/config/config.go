// Package config reads pressreview's settings from command-line flags and
// PRESSREVIEW_* environment variables (flags win) and validates them once,
// at start, with messages that name the setting and what is wrong.
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"os"
	"slices"
	"strings"

	"github.com/spf13/pflag"

	"github.com/pressreview/pressreview/internal/blobs"
	"github.com/pressreview/pressreview/internal/fetch"
	"github.com/pressreview/pressreview/internal/forms"
	"github.com/pressreview/pressreview/internal/store"
)

// Config holds every setting a command may need.
type Config struct {
	Database string // PRESSREVIEW_DATABASE: sqlite:PATH or a postgres:// URL
	Addr     string // PRESSREVIEW_ADDR: host:port the server listens on
	SiteURL  string // PRESSREVIEW_SITE_URL: public base URL for links and feeds
	DataDir  string // PRESSREVIEW_DATA_DIR: WARC archives
	LogLevel string // PRESSREVIEW_LOG_LEVEL: debug, info, warn or error
	// FetchAllow (PRESSREVIEW_FETCH_ALLOW) lists, comma-separated, the CIDR
	// prefixes the fetcher may reach although they are loopback, private
	// or otherwise not public; Validate parses it into FetchAllowed.
	FetchAllow   string
	FetchAllowed []netip.Prefix
	// TrustedProxies (PRESSREVIEW_TRUSTED_PROXIES) lists, comma-separated,
	// the CIDRs of reverse proxies whose X-Forwarded-For names the client;
	// Validate parses it into Proxies.
	TrustedProxies string
	Proxies        forms.Proxies
	// Blobs (PRESSREVIEW_BLOBS) is where WARC files go: empty for DataDir,
	// or s3://BUCKET?endpoint=URL&region=R (see blobs.OpenBucket).
	// InstanceURL (PRESSREVIEW_INSTANCE_URL) is the base URL at which the
	// other instances reach this one's spool (blobs.Store.Handler).
	Blobs       string
	InstanceURL string
}

// Setting describes one configurable value, for flags, environment and help.
type setting struct {
	flag, env, def, usage string
	target                *string
}

func (c *Config) settings() []setting {
	return []setting{
		{"database", "PRESSREVIEW_DATABASE", "sqlite:pressreview.db", "database: sqlite:PATH or postgres://user:pass@host/db", &c.Database},
		{"addr", "PRESSREVIEW_ADDR", "127.0.0.1:8080", "address the web server listens on", &c.Addr},
		{"site-url", "PRESSREVIEW_SITE_URL", "", "public base URL of the site (default http://ADDR)", &c.SiteURL},
		{"data-dir", "PRESSREVIEW_DATA_DIR", "data", "directory for the WARC archives", &c.DataDir},
		{"blobs", "PRESSREVIEW_BLOBS", "", "blob store for WARC files: empty for DATA_DIR, or s3://BUCKET?endpoint=URL&region=REGION", &c.Blobs},
		{"instance-url", "PRESSREVIEW_INSTANCE_URL", "", "base URL at which other instances reach this one's spooled WARC files", &c.InstanceURL},
		{"log-level", "PRESSREVIEW_LOG_LEVEL", "info", "log level: debug, info, warn or error", &c.LogLevel},
		{"trusted-proxies", "PRESSREVIEW_TRUSTED_PROXIES", "", "CIDRs of reverse proxies trusted to name the client in X-Forwarded-For, e.g. 10.0.0.0/8,127.0.0.1", &c.TrustedProxies},
		{"fetch-allow", "PRESSREVIEW_FETCH_ALLOW", "", "CIDR prefixes the fetcher may reach although not public, e.g. 10.0.0.0/8,::1/128", &c.FetchAllow},
	}
}

// Register adds the named settings as flags on fs (a command's own or
// persistent flags), with defaults taken from the environment so that
// `--help` shows what will actually be used.
func (c *Config) Register(fs *pflag.FlagSet, names ...string) {
	for _, s := range c.settings() {
		if !slices.Contains(names, s.flag) {
			continue
		}
		def := s.def
		if v, ok := os.LookupEnv(s.env); ok {
			def = v
		}
		fs.StringVar(s.target, s.flag, def, s.usage+" ("+s.env+")")
	}
}

// Load fills every setting not registered as a flag from the environment or
// its default, then validates the whole. Call it after fs is parsed, with
// every flag that applies to the command (cobra's Command.Flags).
func (c *Config) Load(fs *pflag.FlagSet) error {
	for _, s := range c.settings() {
		if fs != nil && fs.Lookup(s.flag) != nil {
			continue
		}
		*s.target = s.def
		if v, ok := os.LookupEnv(s.env); ok {
			*s.target = v
		}
	}
	return c.Validate()
}

// Validate checks every setting and reports all problems at once.
func (c *Config) Validate() error {
	var errs []error
	if _, _, err := store.ParseURL(c.Database); err != nil {
		errs = append(errs, fmt.Errorf("--database / PRESSREVIEW_DATABASE: %v", err))
	}
	if host, port, err := net.SplitHostPort(c.Addr); err != nil || port == "" {
		errs = append(errs, fmt.Errorf("--addr / PRESSREVIEW_ADDR: %q is not host:port", c.Addr))
	} else if c.SiteURL == "" {
		if host == "" || host == "0.0.0.0" || host == "::" {
			host = "127.0.0.1"
		}
		c.SiteURL = "http://" + net.JoinHostPort(host, port)
	}
	if c.SiteURL != "" {
		u, err := url.Parse(c.SiteURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("--site-url / PRESSREVIEW_SITE_URL: %q is not an absolute http(s) URL", c.SiteURL))
		}
		c.SiteURL = strings.TrimRight(c.SiteURL, "/")
	}
	if _, err := c.Level(); err != nil {
		errs = append(errs, err)
	}
	if c.DataDir == "" {
		errs = append(errs, errors.New("--data-dir / PRESSREVIEW_DATA_DIR: must not be empty"))
	}
	if err := blobs.CheckURL(c.Blobs); err != nil {
		errs = append(errs, fmt.Errorf("--blobs / %w", err))
	}
	if c.InstanceURL != "" {
		u, err := url.Parse(c.InstanceURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("--instance-url / PRESSREVIEW_INSTANCE_URL: %q is not an absolute http(s) URL", c.InstanceURL))
		}
	}
	allowed, err := fetch.ParseAllow(c.FetchAllow)
	if err != nil {
		errs = append(errs, fmt.Errorf("--fetch-allow / PRESSREVIEW_FETCH_ALLOW: %v", err))
	}
	c.FetchAllowed = allowed
	proxies, err := forms.ParseProxies(c.TrustedProxies)
	if err != nil {
		errs = append(errs, fmt.Errorf("--trusted-proxies / PRESSREVIEW_TRUSTED_PROXIES: %v", err))
	}
	c.Proxies = proxies
	return errors.Join(errs...)
}

// Level parses LogLevel.
func (c *Config) Level() (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return l, fmt.Errorf("--log-level / PRESSREVIEW_LOG_LEVEL: %q is not debug, info, warn or error", c.LogLevel)
	}
	return l, nil
}

// EnvHelp lists the environment variables, for the top-level help text.
func EnvHelp() string {
	var b strings.Builder
	width := 0
	for _, s := range (&Config{}).settings() {
		width = max(width, len(s.env))
	}
	for _, s := range (&Config{}).settings() {
		fmt.Fprintf(&b, "  %-*s  %s", width, s.env, s.usage)
		if s.def != "" {
			fmt.Fprintf(&b, " (default %s)", s.def)
		}
		b.WriteByte('\n')
	}
	return b.String()
}
