package config

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

const sampleINI = `[DEFAULT]
logdir = /var/log

[loggers]
keys = root, app

[handlers]
keys = console, file

[logger_root]
level = WARNING
handlers = console

[logger_app]
level = DEBUG
handlers = file
propagate = 0
qualname = app.core

[handler_console]
class = StreamHandler
args = (sys.stderr,)

[handler_file]
class = logging.handlers.RotatingFileHandler
args = ('%(logdir)s/%(name)s.log', 'a', 1024, 3)
kwargs = {'capacity': 64}
name = app
`

func translate(t *testing.T, text string, defaults map[string]string, disable bool) DictConfig {
	t.Helper()
	out, err := TranslateINI([]byte(text), defaults, disable)
	if err != nil {
		t.Fatal(err)
	}
	var dc DictConfig
	if err := json.Unmarshal(out, &dc); err != nil {
		t.Fatal(err)
	}
	return dc
}

func ptr[T any](v T) *T { return &v }

func TestTranslateINI(t *testing.T) {
	text := strings.Replace(sampleINI, "name = app\n", "", 1)
	dc := translate(t, text, map[string]string{"name": "svc"}, true)
	want := DictConfig{
		Version: 1, DisableExistingLoggers: true,
		Handlers: map[string]DictHandler{
			"console": {Class: "StreamHandler", Args: ptr("(sys.stderr,)")},
			"file": {Class: "logging.handlers.RotatingFileHandler",
				Args: ptr("('/var/log/svc.log', 'a', 1024, 3)"), Kwargs: ptr("{'capacity': 64}")},
		},
		Loggers: map[string]DictLogger{"app.core": {Level: ptr("DEBUG"), Handlers: []string{"file"}, Propagate: ptr(false)}},
		Root:    DictLogger{Level: ptr("WARNING"), Handlers: []string{"console"}},
	}
	if !reflect.DeepEqual(dc, want) {
		t.Errorf("got %+v, want %+v", dc, want)
	}
}

func TestTranslateINIDefaultsPrecedence(t *testing.T) {
	tests := []struct {
		name     string
		defaults string // [DEFAULT] lines
		own      string // lines of [handler_h]
		mapping  map[string]string
		want     string
	}{
		{"file DEFAULT wins over defaults", "d=file\n", "", map[string]string{"d": "mapping"}, `("file",)`},
		{"defaults fill in, keys case-insensitive", "", "", map[string]string{"D": "mapping"}, `("mapping",)`},
		{"section wins over DEFAULT", "d=file\n", "d=own\n", nil, `("own",)`},
		{"percent escape", "d=50%%\n", "", nil, `("50%",)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := "[DEFAULT]\n" + tt.defaults + "[loggers]\nkeys=root\n[handlers]\nkeys=h\n[logger_root]\nhandlers=h\n" +
				"[handler_h]\nclass=StreamHandler\n" + tt.own + "args=(\"%(d)s\",)\n"
			dc := translate(t, text, tt.mapping, false)
			if got := *dc.Handlers["h"].Args; got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestTranslateINIErrors(t *testing.T) {
	base := "[loggers]\nkeys=root\n[handlers]\nkeys=h\n[logger_root]\nlevel=INFO\nhandlers=h\n[handler_h]\nclass=StreamHandler\n"
	tests := []struct {
		name string
		text string
		want string
	}{
		{"formatter class", base + "[formatters]\nkeys=plain\n[formatter_plain]\nformat=%(message)s\nclass=my.Fmt\n", "[formatter_plain].class: unsupported formatter class"},
		{"formatters keys", base + "[formatters]\nkeys=plain\n", "[formatter_plain]: missing section"},
		{"handler formatter", base + "formatter=plain\n", "[handler_h].formatter: unknown formatter \"plain\""},
		{"no loggers", "[handlers]\nkeys=\n", "[loggers].keys: missing"},
		{"no root", "[loggers]\nkeys=app\n[logger_app]\nqualname=app\n", "[loggers].keys: must include root"},
		{"missing logger section", "[loggers]\nkeys=root,app\n[logger_root]\n", `[logger_app]: missing: logger "app"`},
		{"missing handler section", "[loggers]\nkeys=root\n[handlers]\nkeys=h\n[logger_root]\n", `[handler_h]: missing: handler "h"`},
		{"no class", "[loggers]\nkeys=root\n[handlers]\nkeys=h\n[logger_root]\n[handler_h]\nargs=()\n", "[handler_h].class: missing"},
		{"unknown handler ref", "[loggers]\nkeys=root\n[logger_root]\nhandlers=nope\n", `[logger_root].handlers: unknown handler id "nope"`},
		{"bad propagate", strings.Replace(base, "keys=root\n", "keys=root,app\n", 1) + "[logger_app]\nqualname=app\npropagate=yes\n", `[logger_app].propagate: "yes": want 0 or 1`},
		{"missing qualname", strings.Replace(base, "keys=root\n", "keys=root,app\n", 1) + "[logger_app]\nlevel=INFO\n", "[logger_app].qualname: missing"},
		{"unresolved var", base + "args=(\"%(nope)s\",)\n", "[handler_h].args: %(nope)s: no such key"},
		{"logger filters", strings.Replace(base, "level=INFO\n", "level=INFO\nfilters=f\n", 1), "[logger_root].filters: filters are not supported"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := TranslateINI([]byte(tt.text), nil, true)
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("got %v, want prefix %q", err, tt.want)
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("got %v, want it to wrap ErrInvalid", err)
			}
		})
	}
}

func TestTranslateINIFormattersAreReadRaw(t *testing.T) {
	text := strings.Replace(sampleINI, "[handler_console]\nclass = StreamHandler\n",
		"[handler_console]\nclass = StreamHandler\nformatter = brief\nlevel = INFO\n", 1) +
		"[formatters]\nkeys = brief\n\n[formatter_brief]\nformat = %(asctime)s %(levelname)-8s %(message)s\ndatefmt = %H:%M\nstyle = %\n"
	dc := translate(t, text, map[string]string{"name": "svc"}, true)
	f := dc.Formatters["brief"]
	if f.Format == nil || *f.Format != "%(asctime)s %(levelname)-8s %(message)s" || *f.Datefmt != "%H:%M" || *f.Style != "%" {
		t.Fatalf("got %+v", f)
	}
	h := dc.Handlers["console"]
	if h.Formatter == nil || *h.Formatter != "brief" || h.Level == nil || *h.Level != "INFO" {
		t.Fatalf("got %+v", h)
	}
}
