module github.com/vpcreach/vpcreach

go 1.24.0

require (
	go4.org/netipx v0.0.0-20260823151212-3075585bcbeb
	gopkg.in/yaml.v3 v3.0.1
)

require (
	github.com/stretchr/testify v1.12.1 // indirect
	go.yaml.in/yaml/v3 v3.0.5 // indirect
	gonum.org/v1/gonum v0.17.0 // indirect
)
