// Package doccheck holds a test that every exported identifier of
// vpcreach's public packages has a doc comment.
package doccheck
