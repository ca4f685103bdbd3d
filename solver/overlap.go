package solver

import (
	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/overlap"
)

// The overlap analysis needs only the model and lives in package overlap.
// These names forward to it, so that existing callers keep working.

// SpaceKind says what owns an address space.
//
// Deprecated: use overlap.SpaceKind.
type SpaceKind = overlap.SpaceKind

// Address space owners.
//
// Deprecated: use overlap.SpaceUnknown, overlap.SpaceVPC and
// overlap.SpaceExternal.
const (
	SpaceUnknown  = overlap.SpaceUnknown
	SpaceVPC      = overlap.SpaceVPC
	SpaceExternal = overlap.SpaceExternal
)

// Space names an address space: a VPC or an external network.
//
// Deprecated: use overlap.Space.
type Space = overlap.Space

// OverlapClass says how two overlapping address spaces are connected.
//
// Deprecated: use overlap.Class.
type OverlapClass = overlap.Class

// Overlap classes, most serious first.
//
// Deprecated: use overlap.Unknown, overlap.Peered, overlap.TGWRouteTable,
// overlap.Routed, overlap.PrivateLink and overlap.Unconnected.
const (
	OverlapUnknown       = overlap.Unknown
	OverlapPeered        = overlap.Peered
	OverlapTGWRouteTable = overlap.TGWRouteTable
	OverlapRouted        = overlap.Routed
	OverlapPrivateLink   = overlap.PrivateLink
	OverlapUnconnected   = overlap.Unconnected
)

// CIDRPair is one overlapping pair of blocks, with where each was written.
//
// Deprecated: use overlap.CIDRPair.
type CIDRPair = overlap.CIDRPair

// Overlap is a pair of address spaces with overlapping CIDRs, and how they
// are connected.
//
// Deprecated: use overlap.Overlap.
type Overlap = overlap.Overlap

// Overlaps finds every pair of address spaces that overlap, and classifies
// each by how the two are connected.
//
// Deprecated: use overlap.Find.
func Overlaps(m *model.Model) []Overlap { return overlap.Find(m) }
