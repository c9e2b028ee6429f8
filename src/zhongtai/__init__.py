"""zhongtai (中台): a data middle platform for e-commerce teams."""
