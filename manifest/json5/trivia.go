package json5

// Comment is a comment of a JSON5 text. Comments lie in the trivia between
// tokens, which the tree does not hold: File.Comments finds them.
type Comment struct {
	// Start and End delimit the comment: from its `//` to the end of its
	// line (the line terminator excluded), or from its `/*` to just after
	// its `*/`.
	Start, End int
	Block      bool // a `/* */` comment
	// Unclosed marks a block comment without its `*/`: it runs to the end
	// of the input.
	Unclosed bool
}

// Comments returns the comments of the file in source order. It scans the
// text again (the tree keeps byte ranges, not tokens); an input too large
// to parse has none.
func (f *File) Comments() []Comment {
	if len(f.Src) > maxInput {
		return nil
	}
	var out []Comment
	s := &scanner{src: string(f.Src), spanGrammarOK: true, scanOK: true, comments: &out}
	for s.next() {
		s.toks = s.toks[:0] // only the comments are wanted
	}
	return out
}

// comment records a comment when the scanner collects them.
func (s *scanner) comment(c Comment) {
	if s.comments != nil {
		c.Start += s.base
		c.End += s.base
		*s.comments = append(*s.comments, c)
	}
}
