package solver_test

import "net/netip"

type netipPrefix = netip.Prefix
