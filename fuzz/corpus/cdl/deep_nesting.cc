<ColorCorrection id="a"><SOPNode><Slope><Slope><Slope><Slope>1 1 1</Slope></Slope></Slope></Slope></SOPNode></ColorCorrection>
