" Amber manifests: JSON5 with reference strings ("#child.slot", "slots.x")
" and ${...} interpolation picked out.
if exists('b:current_syntax')
  finish
endif

syntax sync minlines=200

syntax match amberComment "//.*$" contains=@Spell
syntax region amberComment start="/\*" end="\*/" contains=@Spell
syntax keyword amberConstant true false null Infinity NaN
syntax match amberNumber "\v[-+]?(0x\x+|(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?)>"
syntax match amberKey "\v<[A-Za-z_$][A-Za-z0-9_$]*>\ze\s*:"
syntax region amberString start=+"+ skip=+\\\\\|\\"+ end=+"+ contains=amberEscape,amberInterpolation,amberReference
syntax region amberString start=+'+ skip=+\\\\\|\\'+ end=+'+ contains=amberEscape,amberInterpolation,amberReference
" Quoted keys: after the strings, so that they win where both start.
syntax match amberKey +"\([^"\\]\|\\.\)*"\ze\s*:+
syntax match amberEscape "\\." contained
syntax match amberInterpolation "\$\?\${[^}]*}" contained
syntax match amberReference /\v(["'])@<=#[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)?\ze["']/ contained
syntax match amberReference /\v(["'])@<=(slots|provides|resources|framework)\.[A-Za-z0-9_.-]+\ze["']/ contained

highlight default link amberComment Comment
highlight default link amberConstant Constant
highlight default link amberNumber Number
highlight default link amberKey Identifier
highlight default link amberString String
highlight default link amberEscape SpecialChar
highlight default link amberInterpolation Special
highlight default link amberReference Type

let b:current_syntax = 'amber'
