package config

import (
	"fmt"
	"strings"
	"testing"
)

func TestFetchAllow(t *testing.T) {
	c := Config{Database: "sqlite:x.db", Addr: "127.0.0.1:8080", DataDir: "data", LogLevel: "info",
		FetchAllow: "127.0.0.0/8, ::1/128"}
	if err := c.Validate(); err != nil || fmt.Sprint(c.FetchAllowed) != "[127.0.0.0/8 ::1/128]" {
		t.Errorf("valid list: %v %v", c.FetchAllowed, err)
	}
	c.FetchAllow = ""
	if err := c.Validate(); err != nil || c.FetchAllowed != nil {
		t.Errorf("empty list (the default: public addresses only): %v %v", c.FetchAllowed, err)
	}
	c.FetchAllow = "10.0.0.0/8,intranet"
	err := c.Validate()
	if err == nil || !strings.Contains(err.Error(), "--fetch-allow / PRESSREVIEW_FETCH_ALLOW") || !strings.Contains(err.Error(), `"intranet"`) {
		t.Errorf("bad list: %v", err)
	}
}
