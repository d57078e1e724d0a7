package newsletter

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Purpose says what a signed link may do; a link signed for one purpose is
// refused for another.
type Purpose string

// The purposes of signed links and tokens.
const (
	PurposeConfirm     Purpose = "confirm"
	PurposeSettings    Purpose = "settings"
	PurposeUnsubscribe Purpose = "unsubscribe"
)

// Errors from Verify.
var (
	ErrLinkInvalid = errors.New("the link is not valid (it may have been cut short or altered)")
	ErrLinkExpired = errors.New("the link has expired")
)

// Token is what a signed link carries.
type Token struct {
	Subject  string // a subscriber uid
	Campaign int64  // the campaign the link came in, 0 if none
	Expires  time.Time
	Issued   time.Time
}

// Signer makes and checks HMAC-SHA256 signed tokens: no login, no state.
type Signer struct{ key []byte }

// NewSigner returns a signer keyed with key.
func NewSigner(key []byte) *Signer { return &Signer{key: key} }

// Sign returns "subject.campaign.issued.expires.mac"; expires 0 never lapses.
func (s *Signer) Sign(p Purpose, t Token) string {
	var exp int64
	if !t.Expires.IsZero() {
		exp = t.Expires.Unix()
	}
	body := t.Subject + "." + strconv.FormatInt(t.Campaign, 36) + "." +
		strconv.FormatInt(t.Issued.Unix(), 36) + "." + strconv.FormatInt(exp, 36)
	return body + "." + s.mac(p, body)
}

func (s *Signer) mac(p Purpose, body string) string {
	h := hmac.New(sha256.New, s.key)
	h.Write([]byte(p))
	h.Write([]byte{0})
	h.Write([]byte(body))
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil)[:18])
}

// Verify checks a token's signature for purpose p and its expiry at now.
func (s *Signer) Verify(p Purpose, tok string, now time.Time) (Token, error) {
	i := strings.LastIndexByte(tok, '.')
	if i < 0 {
		return Token{}, ErrLinkInvalid
	}
	body, mac := tok[:i], tok[i+1:]
	if !hmac.Equal([]byte(mac), []byte(s.mac(p, body))) {
		return Token{}, ErrLinkInvalid
	}
	f := strings.Split(body, ".")
	if len(f) != 4 {
		return Token{}, ErrLinkInvalid
	}
	camp, err1 := strconv.ParseInt(f[1], 36, 64)
	iss, err2 := strconv.ParseInt(f[2], 36, 64)
	exp, err3 := strconv.ParseInt(f[3], 36, 64)
	if err1 != nil || err2 != nil || err3 != nil {
		return Token{}, ErrLinkInvalid
	}
	t := Token{Subject: f[0], Campaign: camp, Issued: time.Unix(iss, 0)}
	if exp != 0 {
		t.Expires = time.Unix(exp, 0)
		if !now.Before(t.Expires) {
			return t, ErrLinkExpired
		}
	}
	return t, nil
}

// Paths of the public pages, relative to the site URL; internal/web/subscribe
// serves them.
const (
	PathSubscribe   = "/newsletter/subscribe"
	PathConfirm     = "/newsletter/confirm"
	PathSettings    = "/newsletter/settings"
	PathUnsubscribe = "/newsletter/unsubscribe"
	PathWebhook     = "/newsletter/webhook"
)

// Links builds the signed, per-recipient URLs that go into mail.
type Links struct {
	site   string
	signer *Signer
	cfg    *Config
}

func (l *Links) url(path string, tok string) string {
	return l.site + path + "?t=" + url.QueryEscape(tok)
}

// Confirm is the double opt-in link.
func (l *Links) Confirm(uid string, at time.Time) string {
	return l.url(PathConfirm, l.signer.Sign(PurposeConfirm, Token{Subject: uid, Issued: at, Expires: at.Add(l.cfg.ConfirmTTL)}))
}

// Settings is the subscription settings link.
func (l *Links) Settings(uid string, campaign int64, at time.Time) string {
	return l.url(PathSettings, l.signer.Sign(PurposeSettings, Token{Subject: uid, Campaign: campaign, Issued: at, Expires: at.Add(l.cfg.SettingsTTL)}))
}

// Unsubscribe is the one-click link (List-Unsubscribe and the visible
// footer). It never expires: RFC 8058 expects it to keep working.
func (l *Links) Unsubscribe(uid string, campaign int64, at time.Time) string {
	return l.url(PathUnsubscribe, l.signer.Sign(PurposeUnsubscribe, Token{Subject: uid, Campaign: campaign, Issued: at}))
}
