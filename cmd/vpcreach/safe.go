package main

import (
	"github.com/vpcreach/vpcreach/internal/termtext"
	"github.com/vpcreach/vpcreach/model"
)

// safe escapes the characters of s that are unsafe on a terminal
// (internal/termtext): the text output passes every id, name, message
// and error through it, while JSON keeps them as they are.
func safe(s string) string { return termtext.Escape(s) }

// diagText is a diagnostic's line (diagLine), safe for the terminal.
func diagText(d model.Diagnostic) string { return safe(diagLine(d)) }
