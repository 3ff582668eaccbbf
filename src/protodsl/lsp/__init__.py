"""The protodsl language server (`protodsl lsp`), built on pygls; needs ``protodsl[lsp]``.

``index`` (positions, symbols, definitions) has no pygls dependency; ``server`` does.
"""
