module femtologging

go 1.26

require gopkg.in/ini.v1 v1.68.0
