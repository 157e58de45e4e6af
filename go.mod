module femtologging

go 1.26
