package config

import (
	"encoding/json"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/ini.v1"
)

// DictConfig is the restricted dictConfig schema that fileConfig INI files
// translate to; the Python package's dictConfig turns it into a
// configuration document. Handler "args" and "kwargs" stay Python literal
// source text (evaluated with ast.literal_eval on the Python side), as in
// the INI file.
type DictConfig struct {
	Version                int                      `json:"version"`
	DisableExistingLoggers bool                     `json:"disable_existing_loggers"`
	Formatters             map[string]DictFormatter `json:"formatters,omitempty"`
	Handlers               map[string]DictHandler   `json:"handlers"`
	Loggers                map[string]DictLogger    `json:"loggers"`
	Root                   DictLogger               `json:"root"`
}

// DictFormatter is one formatter of a DictConfig: stdlib's format string,
// datefmt and style, read raw (no interpolation), as fileConfig reads them.
type DictFormatter struct {
	Format  *string `json:"format,omitempty"`
	Datefmt *string `json:"datefmt,omitempty"`
	Style   *string `json:"style,omitempty"`
}

// DictHandler is one handler of a DictConfig.
type DictHandler struct {
	Class     string  `json:"class"`
	Args      *string `json:"args,omitempty"`
	Kwargs    *string `json:"kwargs,omitempty"`
	Formatter *string `json:"formatter,omitempty"`
	Level     *string `json:"level,omitempty"`
}

// DictLogger is one logger (or the root) of a DictConfig.
type DictLogger struct {
	Level     *string  `json:"level,omitempty"`
	Handlers  []string `json:"handlers"`
	Propagate *bool    `json:"propagate,omitempty"`
}

// missingVar finds a %(name)s left after interpolation: a name that is in
// neither the section, [DEFAULT], nor the defaults mapping.
var missingVar = regexp.MustCompile(`%\(([^)]*)\)s`)

// TranslateINI parses a CPython fileConfig INI file with ini.v1 and
// translates it to the restricted dictConfig schema, as JSON. defaults are
// added to [DEFAULT] (the file's own [DEFAULT] values win, as with
// configparser), so %(name)s works across the file and the mapping.
// Formatters ([formatters] keys and [formatter_x] sections) and handlers'
// formatter= and level= are translated as fileConfig reads them.
func TranslateINI(data []byte, defaults map[string]string, disableExisting bool) ([]byte, error) {
	f, err := ini.LoadSources(ini.LoadOptions{
		InsensitiveKeys:            true, // configparser lower-cases option names
		IgnoreInlineComment:        true, // configparser has no inline comments by default
		AllowPythonMultilineValues: true,
		PreserveSurroundedQuote:    true, // quotes belong to Python literals in args
		ChildSectionDelimiter:      "\x00",
		KeyValueDelimiters:         "=:",
	}, data)
	if err != nil {
		return nil, errorf("ini", "%v", err)
	}
	def := f.Section(ini.DefaultSection)
	for _, k := range sortedKeys(defaults) {
		name := strings.ToLower(k)
		if !def.HasKey(name) {
			if _, err := def.NewKey(name, defaults[k]); err != nil {
				return nil, errorf("defaults", "%q: %v", k, err)
			}
		}
	}
	t := iniTranslator{f: f}
	out, err := t.translate(disableExisting)
	if err != nil {
		return nil, err
	}
	return json.Marshal(out)
}

type iniTranslator struct{ f *ini.File }

func (t iniTranslator) translate(disableExisting bool) (*DictConfig, error) {
	out := &DictConfig{Version: 1, DisableExistingLoggers: disableExisting,
		Handlers: map[string]DictHandler{}, Loggers: map[string]DictLogger{}}
	formatterIDs, err := t.list("formatters", "keys", false)
	if err != nil {
		return nil, err
	}
	if len(formatterIDs) > 0 {
		out.Formatters = map[string]DictFormatter{}
	}
	for _, id := range formatterIDs {
		f, err := t.formatter(id)
		if err != nil {
			return nil, err
		}
		out.Formatters[id] = f
	}
	handlerIDs, err := t.list("handlers", "keys", false)
	if err != nil {
		return nil, err
	}
	known := map[string]bool{}
	for _, id := range handlerIDs {
		h, err := t.handler(id, out.Formatters)
		if err != nil {
			return nil, err
		}
		out.Handlers[id] = h
		known[id] = true
	}
	loggerIDs, err := t.list("loggers", "keys", true)
	if err != nil {
		return nil, err
	}
	sawRoot := false
	for _, id := range loggerIDs {
		name, lg, err := t.logger(id, known)
		if err != nil {
			return nil, err
		}
		if id == "root" {
			sawRoot = true
			out.Root = lg
			continue
		}
		if _, dup := out.Loggers[name]; dup {
			return nil, errorf("[logger_"+id+"].qualname", "%q: configured twice", name)
		}
		out.Loggers[name] = lg
	}
	if !sawRoot {
		return nil, errorf("[loggers].keys", "must include root: a configuration must configure the root logger")
	}
	return out, nil
}

// value returns the interpolated value of key in section, and whether the
// key is there.
func (t iniTranslator) value(section, key string) (string, bool, error) {
	s, err := t.f.GetSection(section)
	if err != nil {
		return "", false, nil
	}
	k, err := s.GetKey(key)
	if err != nil {
		return "", false, nil
	}
	v := k.String()
	if m := missingVar.FindStringSubmatch(v); m != nil {
		return "", true, errorf("["+section+"]."+key, "%%(%s)s: no such key in the section, [DEFAULT] or defaults", m[1])
	}
	return strings.ReplaceAll(v, "%%", "%"), true, nil
}

// list reads a comma-separated list such as [handlers] keys=a,b.
func (t iniTranslator) list(section, key string, required bool) ([]string, error) {
	v, ok, err := t.value(section, key)
	if err != nil {
		return nil, err
	}
	if !ok {
		if required {
			return nil, errorf("["+section+"]."+key, "missing")
		}
		return nil, nil
	}
	var out []string
	for _, item := range strings.Split(v, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out, nil
}

// checkKeys rejects the keys of a section that fileConfig does not
// support, saying why. Other keys are ignored, as configparser-based
// fileConfig does: a section may hold its own %(name)s variables.
func (t iniTranslator) checkKeys(section string, unsupported map[string]string) error {
	names := t.f.Section(section).KeyStrings()
	sort.Strings(names)
	for _, k := range names {
		if why, bad := unsupported[k]; bad {
			return errorf("["+section+"]."+k, "%s", why)
		}
	}
	return nil
}

var handlerUnsupported = map[string]string{
	"filters": "filters are not supported by fileConfig: use ConfigBuilder",
}

// raw returns a key's value without interpolation: fileConfig reads
// formatter options raw, so "%(asctime)s" needs no escaping there.
func (t iniTranslator) raw(section, key string) (*string, error) {
	s, err := t.f.GetSection(section)
	if err != nil {
		return nil, nil
	}
	if !s.HasKey(key) {
		return nil, nil
	}
	v := s.Key(key).Value()
	return &v, nil
}

// formatter translates [formatter_<id>]: format, datefmt, style, and a
// class that may only be stdlib's own Formatter (the format runs natively).
func (t iniTranslator) formatter(id string) (DictFormatter, error) {
	section := "formatter_" + id
	if _, err := t.f.GetSection(section); err != nil {
		return DictFormatter{}, errorf("["+section+"]", "missing section: formatter %q is listed in [formatters] keys", id)
	}
	if class, _ := t.raw(section, "class"); class != nil {
		switch strings.TrimSpace(*class) {
		case "", "logging.Formatter", "femtologging.Formatter":
		default:
			return DictFormatter{}, errorf("["+section+"].class", "unsupported formatter class %q: format strings run natively; use logging.Formatter's format, datefmt and style", *class)
		}
	}
	if err := t.checkKeys(section, map[string]string{"defaults": "formatter defaults are not supported"}); err != nil {
		return DictFormatter{}, err
	}
	var f DictFormatter
	var err error
	if f.Format, err = t.raw(section, "format"); err != nil {
		return f, err
	}
	if f.Datefmt, err = t.raw(section, "datefmt"); err != nil {
		return f, err
	}
	if f.Style, err = t.raw(section, "style"); err != nil {
		return f, err
	}
	return f, nil
}

func (t iniTranslator) handler(id string, formatters map[string]DictFormatter) (DictHandler, error) {
	section := "handler_" + id
	if _, err := t.f.GetSection(section); err != nil {
		return DictHandler{}, errorf("["+section+"]", "missing: handler %q is listed in [handlers] keys", id)
	}
	if err := t.checkKeys(section, handlerUnsupported); err != nil {
		return DictHandler{}, err
	}
	class, ok, err := t.value(section, "class")
	if err != nil {
		return DictHandler{}, err
	}
	if !ok || strings.TrimSpace(class) == "" {
		return DictHandler{}, errorf("["+section+"].class", "missing")
	}
	h := DictHandler{Class: strings.TrimSpace(class)}
	for _, opt := range []struct {
		key string
		dst **string
	}{{"args", &h.Args}, {"kwargs", &h.Kwargs}} {
		v, ok, err := t.value(section, opt.key)
		if err != nil {
			return DictHandler{}, err
		}
		if ok {
			*opt.dst = &v
		}
	}
	if v, ok, err := t.value(section, "formatter"); err != nil {
		return DictHandler{}, err
	} else if v = strings.TrimSpace(v); ok && v != "" {
		if _, known := formatters[v]; !known {
			return DictHandler{}, errorf("["+section+"].formatter", "unknown formatter %q: not in [formatters] keys", v)
		}
		h.Formatter = &v
	}
	if v, ok, err := t.value(section, "level"); err != nil {
		return DictHandler{}, err
	} else if v = strings.TrimSpace(v); ok && v != "" {
		h.Level = &v
	}
	return h, nil
}

func (t iniTranslator) logger(id string, handlers map[string]bool) (string, DictLogger, error) {
	section := "logger_" + id
	if _, err := t.f.GetSection(section); err != nil {
		return "", DictLogger{}, errorf("["+section+"]", "missing: logger %q is listed in [loggers] keys", id)
	}
	if err := t.checkKeys(section, map[string]string{"filters": "filters are not supported by fileConfig: use ConfigBuilder"}); err != nil {
		return "", DictLogger{}, err
	}
	var lg DictLogger
	if v, ok, err := t.value(section, "level"); err != nil {
		return "", lg, err
	} else if ok {
		v = strings.TrimSpace(v)
		lg.Level = &v
	}
	ids, err := t.list(section, "handlers", false)
	if err != nil {
		return "", lg, err
	}
	for _, h := range ids {
		if !handlers[h] {
			return "", lg, errorf("["+section+"].handlers", "unknown handler id %q: not in [handlers] keys", h)
		}
	}
	lg.Handlers = append([]string{}, ids...)
	if id == "root" {
		return "root", lg, nil
	}
	name, ok, err := t.value(section, "qualname")
	if err != nil {
		return "", lg, err
	}
	if name = strings.TrimSpace(name); !ok || name == "" {
		return "", lg, errorf("["+section+"].qualname", "missing: the logger's dotted name")
	}
	if v, ok, err := t.value(section, "propagate"); err != nil {
		return "", lg, err
	} else if ok {
		n, perr := strconv.Atoi(strings.TrimSpace(v))
		if perr != nil || (n != 0 && n != 1) {
			return "", lg, errorf("["+section+"].propagate", "%q: want 0 or 1", v)
		}
		p := n == 1
		lg.Propagate = &p
	}
	return name, lg, nil
}
