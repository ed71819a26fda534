app --url=${slots.api.nope}
# a comment
"quoted ${slots.gone}"
