module github.com/vpcreach/vpcreach

go 1.24.0

require (
	go4.org/netipx v0.0.0-20260823151212-3075585bcbeb
	gopkg.in/yaml.v3 v3.0.1
)
