package main

import (
	"io"

	"github.com/vpcreach/vpcreach/model"
)

func runExample(args []string, out, errOut io.Writer) int {
	fs := newFlags("example", "", out, errOut, nil)
	if _, code, ok := parseCommand(fs, args, 0, 0); !ok {
		return code
	}
	_, _ = out.Write(model.ExampleTopology())
	return exitOK
}

func runSchema(args []string, out, errOut io.Writer) int {
	fs := newFlags("schema", "", out, errOut, nil)
	if _, code, ok := parseCommand(fs, args, 0, 0); !ok {
		return code
	}
	_, _ = out.Write(model.JSONSchema())
	return exitOK
}
