package com.aspose.words;

import java.io.InputStream;
import java.io.OutputStream;

/** Stand-in: refuses to load documents, which Cobalt treats as "no thumbnail". */
public class Document {

    public Document(InputStream input) throws Exception {
        throw new IllegalStateException("Document thumbnails need Aspose.Words, which Contact Mirror does not ship");
    }

    public int getPageCount() {
        return 0;
    }

    public SaveOutputParameters save(OutputStream output, SaveOptions options) throws Exception {
        throw new IllegalStateException("Document thumbnails need Aspose.Words, which Contact Mirror does not ship");
    }
}
