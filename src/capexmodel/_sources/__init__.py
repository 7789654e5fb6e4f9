"""Where the data comes from: the dataset and its queries, CSV loading, the SEC reader, the embedded files.

`dataset` holds companies, facts, rates and purchases and answers questions about
them; `loading` reads CSV files (the embedded ones in ``data/`` or the user's);
`sec` reads SEC XBRL company facts and `fetch` downloads them. This layer imports the
package root, ``_model``, ``_fx`` and ``_indicators``; a method may load
``capexmodel.frames`` to hand it a table, as the layering test's list of such imports says.
"""
