package com.aspose.words;

/** Stand-in type, see the package documentation. */
public class ImageSaveOptions extends SaveOptions {

    public ImageSaveOptions(int saveFormat) {}
}
