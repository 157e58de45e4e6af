package config

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
)

// checkKeys reports the first object key in data that is not exactly the
// name of a field of t, walking nested objects and arrays alongside t.
// encoding/json matches keys case-insensitively, so without this check
// {"pAth": "x"} would be taken as "path" although DisallowUnknownFields is
// set: a misspelt key must be an error, as any other unknown one is.
//
// It checks keys only: data that is not valid JSON, or a value of the wrong
// type, is left to the decoder, which reports it. json.RawMessage values
// are skipped: they are decoded (and checked) later, at their own path.
func checkKeys(path string, data []byte, t reflect.Type) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == rawMessageType || reflect.PointerTo(t).Implements(unmarshalerType) {
		return nil
	}
	switch t.Kind() {
	case reflect.Struct:
		fields := jsonFields(t)
		return eachMember(data, func(key string, raw json.RawMessage) error {
			ft, ok := fields[key]
			if !ok {
				return errorf(pathKey(path, key), "unknown field %q", key)
			}
			return checkKeys(pathKey(path, key), raw, ft)
		})
	case reflect.Map:
		return eachMember(data, func(key string, raw json.RawMessage) error {
			return checkKeys(pathKey(path, key), raw, t.Elem())
		})
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return nil // []byte is a base64 string
		}
		return eachElement(data, func(i int, raw json.RawMessage) error {
			return checkKeys(fmt.Sprintf("%s[%d]", path, i), raw, t.Elem())
		})
	}
	return nil
}

var (
	rawMessageType  = reflect.TypeFor[json.RawMessage]()
	unmarshalerType = reflect.TypeFor[json.Unmarshaler]()
)

// jsonFields maps the JSON names of t's fields, as encoding/json names
// them (tag name, else the Go name; embedded structs without a tag lend
// their fields), to the fields' types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	fields := make(map[string]reflect.Type)
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		ft := f.Type
		if f.Anonymous && name == "" {
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				for k, v := range jsonFields(ft) {
					if _, shadowed := fields[k]; !shadowed {
						fields[k] = v
					}
				}
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		fields[name] = f.Type
	}
	return fields
}

// eachMember calls fn for each member of the JSON object in data, in
// document order. Data that is not an object is left to the decoder.
func eachMember(data []byte, fn func(key string, raw json.RawMessage) error) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil
		}
		key, _ := tok.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil
		}
		if err := fn(key, raw); err != nil {
			return err
		}
	}
	return nil
}

// eachElement calls fn for each element of the JSON array in data. Data
// that is not an array is left to the decoder.
func eachElement(data []byte, fn func(i int, raw json.RawMessage) error) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		return nil
	}
	for i := 0; dec.More(); i++ {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil
		}
		if err := fn(i, raw); err != nil {
			return err
		}
	}
	return nil
}
